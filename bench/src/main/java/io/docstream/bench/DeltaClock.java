package io.docstream.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read_committed consumer of the deltas, from their end, that remembers per watched document when
 * (bench clock, nanos) it first saw a delta of a message timestamped at or after a given instant.
 */
final class DeltaClock implements AutoCloseable {
  private final Set<String> docs;
  private final long fromEpochMillis;
  private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  DeltaClock(String bootstrap, String topic, Set<String> docs, long fromEpochMillis) {
    this.docs = Set.copyOf(docs);
    this.fromEpochMillis = fromEpochMillis;
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "delta-clock-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(java.util.List.of(topic));
    thread = new Thread(() -> poll(consumer), "delta-clock");
    thread.start();
  }

  private void poll(KafkaConsumer<String, byte[]> consumer) {
    try (consumer) {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          if (r.timestamp() >= fromEpochMillis && docs.contains(r.key())) {
            firstSeenNanos.putIfAbsent(r.key(), System.nanoTime());
          }
        }
      }
    }
  }

  /** Waits until every watched document has such a delta; false if not within {@code timeout}. */
  boolean awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (firstSeenNanos.size() < docs.size()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** The earliest and latest first-seen times, in nanos of the bench clock. */
  long firstNanos() {
    return firstSeenNanos.values().stream().mapToLong(Long::longValue).min().orElse(-1);
  }

  long lastNanos() {
    return firstSeenNanos.values().stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
