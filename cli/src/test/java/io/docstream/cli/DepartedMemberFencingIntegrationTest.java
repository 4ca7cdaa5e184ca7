package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.docstream.broker.SharedBroker;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import io.docstream.topology.internal.DepartedMemberFencer;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor killed with {@code kill -9} in the middle of a transaction: the survivor fences the
 * dead instance's transactional id at the rebalance, so read_committed readers of its partitions
 * get the survivor's deltas long before the dead transaction's timeout; and healthy members are
 * never fenced by it, however many rebalances.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DepartedMemberFencingIntegrationTest {
  private static final Logger log =
      LoggerFactory.getLogger(DepartedMemberFencingIntegrationTest.class);
  private static final int PARTITIONS = 4;
  private static final int DOCUMENTS = 40;
  private static final int MESSAGES_PER_SECOND = 100;
  private static final int MESSAGES = 1500;
  private static final long TRANSACTION_TIMEOUT_MS = 60_000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration FIRST_DELTA_BOUND = Duration.ofSeconds(30);
  private static final String FENCED_METRIC = "docstream_fence_transactions_total";
  private static final String CHECKS_METRIC = "docstream_fence_checks_total";

  @TempDir Path temp;

  private final List<ProcessorJvm> jvms = new ArrayList<>();
  private final List<ProcessorApp> apps = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopProcessors() throws InterruptedException {
    for (ProcessorApp app : apps) {
      app.close();
    }
    for (ProcessorJvm jvm : jvms) {
      jvm.close();
    }
  }

  @Test
  void shouldDeliverTheSurvivorsFirstDeltaLongBeforeTheDeadOwnersTransactionTimesOut()
      throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "fence-kill-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = createTopics(bootstrap, prefix);

    // Given an owner in its own JVM that commits only every 30 s (so a transaction of it is open
    // whenever messages flow) with a 60 s transaction timeout, and a survivor in this JVM
    int victimPort = ProcessorJvm.freePort();
    Map<String, String> victimSettings = settings(bootstrap, prefix, temp.resolve("victim"));
    victimSettings.put("commit.interval.ms", "30000");
    victimSettings.put("http.port", Integer.toString(victimPort));
    ProcessorJvm victim =
        CliJvm.processor(
            writeConfig(victimSettings, temp.resolve("victim.properties")),
            victimPort,
            Path.of("target", "it-logs", prefix, "victim.log"));
    jvms.add(victim);
    victim.awaitHealthy(START_TIMEOUT);
    ProcessorApp survivor = startApp(settings(bootstrap, prefix, temp.resolve("survivor")));
    await().atMost(START_TIMEOUT).until(() -> running(survivor) && sharesTasks(survivor));
    Set<Integer> victimPartitions = partitionsNotActiveOn(survivor);
    log.info("victim owns partitions {}", victimPartitions);

    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap);
        CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics);
        DeltaTimes deltaTimes = new DeltaTimes(bootstrap, topics.deltas())) {
      // When messages flow to every partition and the victim is killed with one of its
      // transactions open
      Load load = Load.start(producer, topics);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> load.sent.get() >= 3 * MESSAGES_PER_SECOND);
      String victimTransaction = awaitOngoingTransactionNotOf(bootstrap, prefix, survivor);
      long killEpochMs = System.currentTimeMillis();
      long killNanos = System.nanoTime();
      victim.killHard();
      log.info("killed the victim with transaction {} open", victimTransaction);

      // Then a delta of a message sent after the kill is committed on each of the victim's
      // partitions well before the 60 s transaction timeout could have aborted it
      for (int partition : victimPartitions) {
        assertThat(deltaTimes.awaitDeltaAfter(partition, killEpochMs, FIRST_DELTA_BOUND))
            .as("a delta on partition " + partition + " within " + FIRST_DELTA_BOUND)
            .isTrue();
        log.info(
            "first delta on partition {} after {} ms",
            partition,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos));
      }
      assertThat(metric(survivor, FENCED_METRIC)).as("transactional ids fenced").isEqualTo(1.0);

      // And nothing is lost or applied twice, seqs have no gap, and stored == fold(deltas)
      load.done.get(60, TimeUnit.SECONDS);
      assertAppliedExactlyOnce(outcomes, bootstrap, prefix, survivor);
    }
  }

  @Test
  void shouldNeverFenceAHealthyMemberOverRebalances() throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "fence-healthy-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = createTopics(bootstrap, prefix);
    FencedIds fenced = FencedIds.capture();

    // Given two processors that share the partitions
    ProcessorApp a = startApp(settings(bootstrap, prefix, temp.resolve("a")));
    ProcessorApp b = startApp(settings(bootstrap, prefix, temp.resolve("b")));
    await().atMost(START_TIMEOUT).until(() -> running(a) && running(b) && sharesTasks(a));
    Set<String> healthy = new TreeSet<>(transactionalIdPrefixes(a));
    healthy.addAll(transactionalIdPrefixes(b));
    Set<String> departed = new TreeSet<>();

    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap);
        CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      // When, while messages flow, a third instance joins and leaves twice (four rebalances)
      Load load = Load.start(producer, topics);
      for (int round = 0; round < 2; round++) {
        ProcessorApp c = startApp(settings(bootstrap, prefix, temp.resolve("c" + round)));
        await().atMost(START_TIMEOUT).until(() -> running(c) && activeTasks(c) > 0);
        departed.addAll(transactionalIdPrefixes(c));
        apps.remove(c);
        c.close();
        await().atMost(START_TIMEOUT).until(() -> running(a) && running(b));
      }
      load.done.get(60, TimeUnit.SECONDS);

      // Then both looked for departed members at the rebalances and fenced no transaction of
      // theirs: only, if any, one that an instance which left had not closed
      for (ProcessorApp member : List.of(a, b)) {
        assertThat(metric(member, CHECKS_METRIC)).as("fence checks").isGreaterThan(0);
      }
      List<String> ids = fenced.ids();
      assertThat(metric(a, FENCED_METRIC) + metric(b, FENCED_METRIC))
          .as("transactional ids fenced")
          .isEqualTo(ids.size());
      assertThat(ids)
          .as("fenced transactional ids")
          .allSatisfy(id -> assertThat(healthy).noneMatch(id::startsWith))
          .allSatisfy(id -> assertThat(departed).anyMatch(id::startsWith));
      // And every message is applied exactly once, in order
      assertAppliedExactlyOnce(outcomes, bootstrap, prefix, a);
    } finally {
      fenced.close();
    }
  }

  /** The transactional ids a fencer in this JVM reports fencing, read from its log. */
  private static final class FencedIds extends AppenderBase<ILoggingEvent> {
    private final Queue<String> ids = new ConcurrentLinkedQueue<>();
    private final ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DepartedMemberFencer.class);

    static FencedIds capture() {
      FencedIds appender = new FencedIds();
      appender.start();
      appender.log.addAppender(appender);
      return appender;
    }

    @Override
    protected void append(ILoggingEvent event) {
      Object[] args = event.getArgumentArray();
      if (event.getMessage().startsWith("fenced transactional ids")
          && args != null
          && args.length > 0
          && args[0] instanceof Collection<?> fenced) {
        fenced.forEach(id -> ids.add(id.toString()));
      }
    }

    List<String> ids() {
      return List.copyOf(ids);
    }

    void close() {
      log.detachAppender(this);
      stop();
    }
  }

  private TopicNames createTopics(String bootstrap, String prefix) {
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    return topics;
  }

  private static Map<String, String> settings(String bootstrap, String prefix, Path stateDir) {
    Map<String, String> s = new TreeMap<>();
    s.put("bootstrap.servers", bootstrap);
    s.put("application.id", prefix);
    s.put("topic.prefix", prefix);
    s.put("topic.partitions", Integer.toString(PARTITIONS));
    s.put("state.dir", stateDir.toAbsolutePath().toString());
    s.put("http.port", "0");
    s.put("commit.interval.ms", "100");
    s.put("num.standby.replicas", "1");
    s.put("kafka.session.timeout.ms", "6000");
    s.put("kafka.heartbeat.interval.ms", "1500");
    s.put("kafka.producer.transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT_MS));
    return s;
  }

  private ProcessorApp startApp(Map<String, String> settings) throws IOException {
    ProcessorApp app = ProcessorApp.start(ProcessorConfig.from(new ConfigReader(settings)));
    apps.add(app);
    return app;
  }

  private static Path writeConfig(Map<String, String> settings, Path file) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "DepartedMemberFencingIntegrationTest");
    }
    return file;
  }

  private static boolean running(ProcessorApp app) {
    return app.streams().state() == KafkaStreams.State.RUNNING;
  }

  private static long activeTasks(ProcessorApp app) {
    return app.streams().metadataForLocalThreads().stream()
        .mapToLong(t -> t.activeTasks().size())
        .sum();
  }

  private static boolean sharesTasks(ProcessorApp app) {
    long active = activeTasks(app);
    return active > 0 && active < PARTITIONS;
  }

  private static Set<Integer> partitionsNotActiveOn(ProcessorApp app) {
    Set<Integer> partitions =
        IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toCollection(TreeSet::new));
    for (ThreadMetadata thread : app.streams().metadataForLocalThreads()) {
      thread.activeTasks().forEach(t -> partitions.remove(t.taskId().partition()));
    }
    return partitions;
  }

  /**
   * What the transactional ids of {@code app}'s stream threads start with: a thread's consumer is
   * {@code <application.id>-<processId>-StreamThread-<n>-consumer} and its transactional id {@code
   * <application.id>-<processId>-<n>}.
   */
  private static Set<String> transactionalIdPrefixes(ProcessorApp app) {
    return app.streams().metadataForLocalThreads().stream()
        .map(ThreadMetadata::consumerClientId)
        .map(c -> c.substring(0, c.indexOf("-StreamThread-") + 1))
        .collect(Collectors.toSet());
  }

  /** An ongoing transaction of the application that is not one of {@code self}'s threads. */
  private static String awaitOngoingTransactionNotOf(
      String bootstrap, String applicationId, ProcessorApp self) throws Exception {
    Set<String> ownPrefixes = transactionalIdPrefixes(self);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        for (TransactionListing t :
            admin
                .listTransactions(
                    new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                .all()
                .get(10, TimeUnit.SECONDS)) {
          String id = t.transactionalId();
          if (id.startsWith(applicationId + "-")
              && ownPrefixes.stream().noneMatch(id::startsWith)) {
            return id;
          }
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("no open transaction of the victim");
  }

  private double metric(ProcessorApp app, String name) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static void assertAppliedExactlyOnce(
      CommittedOutcomes outcomes, String bootstrap, String prefix, ProcessorApp reader)
      throws Exception {
    Set<String> sent =
        IntStream.range(0, MESSAGES)
            .mapToObj(DepartedMemberFencingIntegrationTest::id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(
            outcomes.awaitUntil(
                o -> o.applications().keySet().containsAll(sent), Duration.ofSeconds(60)))
        .as("every sent id applied within 60 s")
        .isTrue();
    outcomes.readToEnd(Duration.ofSeconds(10));
    assertThat(outcomes.applications().keySet()).isEqualTo(sent);
    assertThat(outcomes.applications().entrySet())
        .as("message ids applied more than once")
        .filteredOn(e -> e.getValue() != 1)
        .isEmpty();
    assertThat(outcomes.rejections()).as("rejections (a replay would show as DUPLICATE)").isEmpty();
    outcomes
        .seqsByDoc()
        .forEach(
            (doc, seqs) ->
                assertThat(seqs)
                    .as(doc)
                    .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, seqs.size()).boxed().toList()));
    String url = "http://127.0.0.1:" + reader.httpPort();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> VerifyRun.exitCode(bootstrap, prefix, url) == 0);
  }

  private static String id(int i) {
    return "m-" + i;
  }

  /** {@link #MESSAGES} messages, paced, each to one of {@link #DOCUMENTS} documents. */
  private record Load(CompletableFuture<Void> done, AtomicInteger sent) {
    static Load start(KafkaProducer<String, byte[]> producer, TopicNames topics) {
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> done =
          CompletableFuture.runAsync(
              () -> {
                long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                  long wait = start + i * 1_000_000_000L / MESSAGES_PER_SECOND - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  Command c = Command.of(id(i), Json.object().put("f" + i, i));
                  producer.send(
                      new ProducerRecord<>(
                          topics.commands(), "json/d-" + (i % DOCUMENTS), Json.bytes(c)));
                  sent.incrementAndGet();
                }
                producer.flush();
              });
      return new Load(done, sent);
    }
  }

  /** The latest committed delta record timestamp of each partition, read as it arrives. */
  private static final class DeltaTimes implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Map<Integer, Long> latest = new HashMap<>();

    DeltaTimes(String bootstrap, String topic) {
      consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "fence-watch-" + UUID.randomUUID(),
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed",
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest"),
              new StringDeserializer(),
              new StringDeserializer());
      consumer.subscribe(List.of(topic));
    }

    boolean awaitDeltaAfter(int partition, long epochMs, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (latest.getOrDefault(partition, -1L) < epochMs) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
          latest.merge(r.partition(), r.timestamp(), Math::max);
        }
      }
      return true;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
