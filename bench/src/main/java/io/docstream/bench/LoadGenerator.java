package io.docstream.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer side: an idempotent Java producer, paced or saturating, always bounded in time. */
final class LoadGenerator implements AutoCloseable {
  static final int LINGER_MS = 5;

  private final KafkaProducer<String, byte[]> producer;
  private long sent;

  LoadGenerator(String bootstrap) {
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                LINGER_MS,
                ProducerConfig.BATCH_SIZE_CONFIG,
                64 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                1024 * 1024),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /** Every message handed to the producer so far. */
  long sent() {
    return sent;
  }

  void sendAll(List<ProducerRecord<String, byte[]>> records) {
    records.forEach(this::send);
    producer.flush();
  }

  /**
   * Sends {@code perSecond} messages a second for {@code duration}. Each message is timestamped
   * with the time it was due, not the time it went out, so a generator that falls behind shows as
   * latency instead of hiding it (no coordinated omission).
   */
  void paced(Messages messages, int perSecond, Duration duration) {
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    long count = perSecond * duration.toSeconds();
    for (long i = 0; i < count; i++) {
      long dueNanos = i * 1_000_000_000L / perSecond;
      long wait = startNanos + dueNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      send(messages.next(startMillis + dueNanos / 1_000_000));
    }
    producer.flush();
  }

  /**
   * Sends as fast as the system takes it for {@code duration}, keeping at most {@code maxBacklog}
   * messages sent but not yet seen at the output, so the queue (and the drain after) stays bounded.
   */
  void saturating(Messages messages, Duration duration, LongSupplier received, long maxBacklog) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      if (sent - received.getAsLong() < maxBacklog) {
        send(messages.next(System.currentTimeMillis()));
      } else {
        producer.flush();
        LockSupport.parkNanos(200_000);
      }
    }
    producer.flush();
  }

  private void send(ProducerRecord<String, byte[]> record) {
    producer.send(record);
    sent++;
  }

  @Override
  public void close() {
    producer.close();
  }
}
