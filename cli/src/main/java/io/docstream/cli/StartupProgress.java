package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.state.StoreNames;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Follows a processor's start: counts the records each store restores from its changelog, prints
 * that progress at most every {@link #REPORT_INTERVAL}, and tells when the processor is ready:
 * Kafka Streams RUNNING, no store restoring, and every active task's stores open for reads.
 */
final class StartupProgress implements StateRestoreListener {
  static final Duration REPORT_INTERVAL = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(100);

  private final PrintStream out;
  private final Duration reportInterval;
  private final Map<TopicPartition, Restore> restoring = new ConcurrentHashMap<>();

  private static final class Restore {
    final String store;
    final long total;
    volatile long done;

    Restore(String store, long total) {
      this.store = store;
      this.total = total;
    }
  }

  StartupProgress(PrintStream out) {
    this(out, REPORT_INTERVAL);
  }

  StartupProgress(PrintStream out, Duration reportInterval) {
    this.out = out;
    this.reportInterval = reportInterval;
  }

  @Override
  public void onRestoreStart(TopicPartition changelog, String store, long start, long end) {
    restoring.put(changelog, new Restore(store, Math.max(0, end - start)));
  }

  @Override
  public void onBatchRestored(TopicPartition changelog, String store, long batchEnd, long count) {
    Restore restore = restoring.get(changelog);
    if (restore != null) {
      restore.done += count;
    }
  }

  @Override
  public void onRestoreEnd(TopicPartition changelog, String store, long total) {
    restoring.remove(changelog);
  }

  @Override
  public void onRestoreSuspended(TopicPartition changelog, String store, long total) {
    restoring.remove(changelog);
  }

  /**
   * Waits until {@code streams} is ready, printing restore progress meanwhile.
   *
   * @throws DocstreamException {@link ErrorCode#STREAMS_FAILED} if Kafka Streams stops, {@link
   *     ErrorCode#KAFKA_UNREACHABLE} if it is not ready within {@code timeout}
   */
  void awaitReady(KafkaStreams streams, Duration timeout) throws InterruptedException {
    awaitReady(streams::state, () -> activeStoresReadable(streams), timeout);
  }

  /** As above, with the state and the readability of the active tasks' stores given. */
  void awaitReady(
      Supplier<KafkaStreams.State> states, BooleanSupplier storesReadable, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = System.nanoTime() + reportInterval.toNanos();
    while (states.get() != KafkaStreams.State.RUNNING
        || !restoring.isEmpty()
        || !storesReadable.getAsBoolean()) {
      KafkaStreams.State state = states.get();
      if (state == KafkaStreams.State.ERROR
          || state == KafkaStreams.State.PENDING_ERROR
          || state == KafkaStreams.State.NOT_RUNNING) {
        throw new DocstreamException(ErrorCode.STREAMS_FAILED, "the processor is " + state);
      }
      if (System.nanoTime() > deadline) {
        throw new DocstreamException(
            ErrorCode.KAFKA_UNREACHABLE,
            "the processor is not ready after " + timeout.toSeconds() + " s (" + state + ")");
      }
      if (System.nanoTime() > nextReport) {
        out.println(report(state));
        nextReport = System.nanoTime() + reportInterval.toNanos();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** One line: the state, and per store the records restored of those to restore. */
  String report(KafkaStreams.State state) {
    Map<String, long[]> perStore = new TreeMap<>();
    restoring
        .values()
        .forEach(
            r -> {
              long[] sums = perStore.computeIfAbsent(r.store, s -> new long[2]);
              sums[0] += r.done;
              sums[1] += r.total;
            });
    if (perStore.isEmpty()) {
      return state == KafkaStreams.State.REBALANCING
          ? "starting: waiting for the processor's partitions (Kafka Streams REBALANCING)"
          : "starting: the processor is " + state + ", opening its stores";
    }
    StringBuilder line = new StringBuilder("restoring:");
    perStore.forEach(
        (store, sums) ->
            line.append(
                String.format(Locale.ROOT, " %s %,d/%,d records;", store, sums[0], sums[1])));
    line.setLength(line.length() - 1);
    return line.toString();
  }

  private static boolean activeStoresReadable(KafkaStreams streams) {
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        if (!readable(streams, task.taskId().partition())) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean readable(KafkaStreams streams, int partition) {
    try {
      streams.store(
          StoreQueryParameters.fromNameAndType(
                  StoreNames.META, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
              .withPartition(partition));
      return true;
    } catch (InvalidStateStoreException e) {
      return false;
    }
  }
}
