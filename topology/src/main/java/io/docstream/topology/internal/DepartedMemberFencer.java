package io.docstream.topology.internal;

import io.docstream.serdes.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.FenceProducersOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the open transaction of a processor instance that left the group (a {@code kill -9}, a
 * lost host) at the next rebalance instead of at its {@code transaction.timeout.ms}: until then
 * read_committed readers of every partition it wrote, and the survivor's start of its tasks, wait
 * (docs/design/failover.md).
 *
 * <p>Under exactly_once_v2 Kafka Streams names a stream thread's transactional id {@code
 * <application.id>-<processId>-<thread>} and its consumer's client id {@code
 * <application.id>-<processId>-StreamThread-<thread>-consumer} (unless {@code client.id} is set).
 * On each rebalance this lists the application's ongoing transactions, then the group's members,
 * and fences ({@link Admin#fenceProducers}, KIP-618) the transactional ids whose process has no
 * member left. Such a process cannot commit anyway: the group generation fences its offset commit.
 * It never fences this process's own ids, nor anything when a member's process cannot be read or
 * this process is not among the members. Failures only log (rate-limited) and wait for the next
 * rebalance.
 */
public final class DepartedMemberFencer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DepartedMemberFencer.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final Admin admin;
  private final String applicationId;
  private final Pattern transactionalId;
  private final Pattern consumerClientId;
  private final Supplier<Collection<String>> ownConsumerClientIds;
  private final LogLimiter logLimiter;
  private final Counter checks;
  private final Counter fenced;
  private final ThreadPoolExecutor worker;

  /**
   * @param admin closed by {@link #close}
   * @param applicationId the Kafka Streams application id, also the group id
   * @param ownConsumerClientIds the client ids of this process's stream threads' consumers
   */
  public DepartedMemberFencer(
      Admin admin,
      String applicationId,
      Supplier<Collection<String>> ownConsumerClientIds,
      MeterRegistry registry) {
    this.admin = admin;
    this.applicationId = applicationId;
    this.transactionalId = Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-\\d+");
    this.consumerClientId =
        Pattern.compile(
            Pattern.quote(applicationId) + "-(" + UUID + ")-StreamThread-\\d+-consumer");
    this.ownConsumerClientIds = ownConsumerClientIds;
    this.logLimiter = new LogLimiter(1, System::nanoTime);
    this.checks =
        Counter.builder("docstream.fence.checks")
            .description("Rebalances after which departed instances' transactions were looked for")
            .register(registry);
    this.fenced =
        Counter.builder("docstream.fence.transactions")
            .description("Transactional ids of departed processor instances fenced")
            .register(registry);
    // One check at a time and at most one waiting: triggers during a check fold into the next.
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1),
            r -> {
              Thread t = new Thread(r, "docstream-fencer");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
  }

  /**
   * Makes a fencer for {@code streams} (not started yet) and sets it as its state listener.
   *
   * @param adminProps the settings of the fencer's own admin client
   */
  public static DepartedMemberFencer attach(
      KafkaStreams streams, Properties adminProps, String applicationId, MeterRegistry registry) {
    DepartedMemberFencer fencer =
        new DepartedMemberFencer(
            Admin.create(adminProps),
            applicationId,
            () ->
                streams.metadataForLocalThreads().stream()
                    .map(ThreadMetadata::consumerClientId)
                    .toList(),
            registry);
    streams.setStateListener(fencer::onChange);
    return fencer;
  }

  /** A {@link KafkaStreams.StateListener}: checks after each rebalance, off the stream thread. */
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    if (newState == KafkaStreams.State.REBALANCING || newState == KafkaStreams.State.RUNNING) {
      worker.execute(this::check);
    }
  }

  private void check() {
    try {
      checks.increment();
      Map<String, String> processByTransaction = ongoingTransactions();
      if (processByTransaction.isEmpty()) {
        return;
      }
      Optional<Set<String>> departed =
          departed(processByTransaction, memberClientIds(), ownConsumerClientIds.get());
      if (departed.isEmpty() || departed.get().isEmpty()) {
        return;
      }
      admin
          .fenceProducers(departed.get(), new FenceProducersOptions().timeoutMs(timeoutMs()))
          .all()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      fenced.increment(departed.get().size());
      LOG.info(
          "fenced transactional ids {} of processes no longer in group {}: their open"
              + " transactions are aborted",
          departed.get(),
          applicationId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      warn(ErrorCode.FENCE_CHECK_FAILED, "cannot fence departed members' transactions: " + e);
    }
  }

  /**
   * The ongoing transactions of this application, transactional id to process id; ongoing as
   * described now, not only as listed, so that a restarted process's aborted one is left alone.
   */
  private Map<String, String> ongoingTransactions()
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, String> processByTransaction = new TreeMap<>();
    Collection<TransactionListing> listed =
        admin
            .listTransactions(
                new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))
                    .timeoutMs(timeoutMs()))
            .all()
            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    for (TransactionListing t : listed) {
      Matcher m = transactionalId.matcher(t.transactionalId());
      if (m.matches()) {
        processByTransaction.put(t.transactionalId(), m.group(1));
      }
    }
    if (processByTransaction.isEmpty()) {
      return processByTransaction;
    }
    Map<String, TransactionDescription> described =
        admin
            .describeTransactions(
                processByTransaction.keySet(),
                new DescribeTransactionsOptions().timeoutMs(timeoutMs()))
            .all()
            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    processByTransaction
        .keySet()
        .removeIf(
            id ->
                !described.containsKey(id)
                    || described.get(id).state() != TransactionState.ONGOING);
    return processByTransaction;
  }

  private List<String> memberClientIds()
      throws ExecutionException, InterruptedException, TimeoutException {
    ConsumerGroupDescription group =
        admin
            .describeConsumerGroups(
                List.of(applicationId), new DescribeConsumerGroupsOptions().timeoutMs(timeoutMs()))
            .describedGroups()
            .get(applicationId)
            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return group.members().stream().map(MemberDescription::clientId).toList();
  }

  /**
   * The transactional ids to fence: those of {@code processByTransaction} (transactional id to
   * process id) whose process has no member among {@code memberClientIds} and is not this one.
   * Empty when a member's process cannot be read from its client id or when none of {@code
   * ownClientIds} is a member (this process is between generations: it cannot tell who left).
   */
  Optional<Set<String>> departed(
      Map<String, String> processByTransaction,
      Collection<String> memberClientIds,
      Collection<String> ownClientIds) {
    Set<String> live = new TreeSet<>();
    for (String clientId : memberClientIds) {
      Matcher m = consumerClientId.matcher(clientId);
      if (!m.matches()) {
        warn(
            ErrorCode.FENCE_MEMBERS_UNKNOWN,
            "member " + clientId + " of group " + applicationId + " names no process id");
        return Optional.empty();
      }
      live.add(m.group(1));
    }
    Set<String> own = new TreeSet<>();
    for (String clientId : ownClientIds) {
      Matcher m = consumerClientId.matcher(clientId);
      if (m.matches()) {
        own.add(m.group(1));
      }
    }
    if (own.isEmpty() || !live.containsAll(own)) {
      return Optional.empty();
    }
    Set<String> departed = new TreeSet<>();
    processByTransaction.forEach(
        (transaction, process) -> {
          if (!live.contains(process)) {
            departed.add(transaction);
          }
        });
    return Optional.of(departed);
  }

  private void warn(ErrorCode code, String message) {
    long suppressed = logLimiter.acquire(code.name());
    if (suppressed != LogLimiter.SUPPRESS) {
      LOG.warn(
          "[{}] {}{}",
          code.code(),
          message,
          suppressed > 0 ? " (" + suppressed + " such lines suppressed)" : "");
    }
  }

  private static int timeoutMs() {
    return (int) CALL_TIMEOUT.toMillis();
  }

  @Override
  public void close() {
    worker.shutdownNow();
    admin.close(CALL_TIMEOUT);
  }
}
