package io.docstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The receiving side: a read_committed consumer on its own thread over every partition of the
 * output topics, counting records and, while a window is open, recording each one's latency from
 * its record timestamp (the message's) to now.
 *
 * <p>Every message the bench sends yields exactly one output record (a delta or a rejection; for
 * the pass-through, its copy), so "received == sent" means the target has caught up.
 */
final class OutputProbe implements AutoCloseable {
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  /**
   * More than one commit's records, so that a record is timed when its fetch arrives, not at a
   * later poll.
   */
  private static final int MAX_POLL_RECORDS = 100_000;

  /**
   * The OS's autotuned socket receive buffer. With the client's 64 KiB this consumer, on loopback,
   * at times sat ~200 ms without fetching once a commit's deltas passed ~64 KiB (docstream at
   * ~8,500 msg/s): p99 139-354 ms and p99.9 304-422 ms against 125-134 and 147-175 ms with this,
   * the pass-through's p99 ~120 ms either way (bench/results/2026-12-07-probe-receive-buffer.md).
   * The gateway's consumer does the same.
   */
  private static final int OS_RECEIVE_BUFFER = -1;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String countedTopic;
  private final Thread thread;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong other = new AtomicLong();
  private volatile long windowFromMillis;
  private volatile Latencies window;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  /** Counts {@code countedTopic}; records of {@code otherTopics} are counted apart (rejections). */
  OutputProbe(String bootstrap, String countedTopic, List<String> otherTopics) {
    this.countedTopic = countedTopic;
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                MAX_POLL_RECORDS,
                ConsumerConfig.RECEIVE_BUFFER_CONFIG,
                OS_RECEIVE_BUFFER),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    List<String> topics = new ArrayList<>(otherTopics);
    topics.add(countedTopic);
    for (String topic : topics) {
      for (PartitionInfo p : partitionsOf(topic)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "output-probe");
    thread.start();
  }

  /** A topic created a moment ago may not be in the client's metadata yet: ask until it is. */
  private List<PartitionInfo> partitionsOf(String topic) {
    long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
    List<PartitionInfo> partitions = consumer.partitionsFor(topic);
    while (partitions.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      partitions = consumer.partitionsFor(topic);
    }
    return partitions;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          record(r, System.currentTimeMillis());
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close();
    }
  }

  private void record(ConsumerRecord<byte[], byte[]> r, long now) {
    if (!r.topic().equals(countedTopic)) {
      other.incrementAndGet();
      return;
    }
    Latencies open = window;
    if (open != null && r.timestamp() >= windowFromMillis) {
      open.add(now - r.timestamp());
    }
    received.incrementAndGet();
  }

  long received() {
    return received.get();
  }

  /** Records on the other topics (for docstream: rejections, which a clean run has none of). */
  long other() {
    return other.get();
  }

  void openWindow(int capacity) {
    openWindow(Long.MIN_VALUE, capacity);
  }

  /** Records the latency of records timestamped at or after {@code fromMillis} only. */
  void openWindow(long fromMillis, int capacity) {
    windowFromMillis = fromMillis;
    window = new Latencies(capacity);
  }

  Latencies closeWindow() {
    Latencies closed = window;
    window = null;
    return closed;
  }

  /** Waits until {@code count} records have arrived; false if not within {@code timeout}. */
  boolean awaitReceived(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.get() + other.get() < count) {
      if (failure != null) {
        throw new IllegalStateException("the output consumer failed", failure);
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
