package io.docstream.topology;

import io.docstream.state.DeltaLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads deltas back from the deltas topic for {@code ?after=S}, read_committed, so only committed
 * deltas are served. Per partition the wanted deltas are on, it seeks to the earliest offset whose
 * timestamp is at or after the smallest of their record timestamps ({@code offsetsForTimes}: at or
 * before each of them, also when timestamps are not monotonic) and scans forward, keeping the
 * records of the document whose seq is wanted, until all are found, the committed end is reached or
 * a bound is hit ({@link Bounds}). What is not found is left out: the history then answers 410 and
 * the gateway sends a reset snapshot, never a gap.
 *
 * <p>Consumers (no group, assigned by hand) are pooled, at most one per concurrent request, and
 * reused.
 */
public final class TopicDeltaLog implements DeltaLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicDeltaLog.class);
  private static final byte[] SEQ_FIELD = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * How far one request may scan, per partition: records, bytes and time. Each bounds the work a
   * request can cause; past any of them the rest is not found.
   */
  public record Bounds(long records, long bytes, Duration time) {
    public static final Bounds DEFAULT = new Bounds(200_000, 256L << 20, Duration.ofSeconds(3));
  }

  private final String topic;
  private final Supplier<Consumer<byte[], byte[]>> factory;
  private final Bounds bounds;
  private final BlockingQueue<Consumer<byte[], byte[]>> idle;
  private final AtomicInteger created = new AtomicInteger();
  private final int maxConsumers;
  private final List<Consumer<byte[], byte[]>> all = new ArrayList<>();

  public TopicDeltaLog(
      String topic, Supplier<Consumer<byte[], byte[]>> factory, int maxConsumers, Bounds bounds) {
    this.topic = topic;
    this.factory = factory;
    this.bounds = bounds;
    this.maxConsumers = maxConsumers;
    this.idle = new ArrayBlockingQueue<>(maxConsumers);
  }

  /** Consumer settings for reading the deltas topic: read_committed, no group, no commits. */
  public static Supplier<Consumer<byte[], byte[]>> consumers(Properties kafka) {
    return () -> {
      Properties props = new Properties();
      props.putAll(kafka);
      props.remove(ConsumerConfig.GROUP_ID_CONFIG);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "docstream-delta-reader");
      return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    };
  }

  @Override
  public Map<Long, byte[]> read(String doc, List<Place> wanted) {
    Consumer<byte[], byte[]> consumer;
    try {
      consumer = borrow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
    try {
      Map<Integer, List<Place>> byPartition = new TreeMap<>();
      for (Place p : wanted) {
        byPartition.computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p);
      }
      byte[] key = doc.getBytes(StandardCharsets.UTF_8);
      Map<Long, byte[]> found = new HashMap<>();
      for (Map.Entry<Integer, List<Place>> e : byPartition.entrySet()) {
        scan(consumer, new TopicPartition(topic, e.getKey()), key, e.getValue(), found);
      }
      return found;
    } catch (KafkaException e) {
      LOG.warn("reading deltas of {} from {} failed: {}", doc, topic, e.toString());
      return Map.of();
    } finally {
      consumer.unsubscribe();
      idle.add(consumer);
    }
  }

  private void scan(
      Consumer<byte[], byte[]> consumer,
      TopicPartition partition,
      byte[] key,
      List<Place> wanted,
      Map<Long, byte[]> found) {
    long from = Long.MAX_VALUE;
    Set<Long> seqs = new HashSet<>();
    for (Place p : wanted) {
      from = Math.min(from, p.timestampMillis());
      seqs.add(p.seq());
    }
    long deadline = System.nanoTime() + bounds.time().toNanos();
    consumer.assign(List.of(partition));
    OffsetAndTimestamp start =
        consumer
            .offsetsForTimes(Map.of(partition, Math.max(0, from)), bounds.time())
            .get(partition);
    if (start == null) {
      return;
    }
    long end = consumer.endOffsets(List.of(partition), bounds.time()).get(partition);
    consumer.seek(partition, start.offset());
    long records = 0;
    long bytes = 0;
    while (!seqs.isEmpty() && consumer.position(partition, bounds.time()) < end) {
      if (System.nanoTime() > deadline) {
        return;
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(partition)) {
        if (r.offset() >= end || records >= bounds.records() || bytes >= bounds.bytes()) {
          return;
        }
        records++;
        bytes += r.serializedKeySize() + Math.max(0, r.serializedValueSize());
        if (Arrays.equals(r.key(), key) && r.value() != null) {
          long seq = seqOf(r.value());
          if (seqs.remove(seq)) {
            found.put(seq, r.value());
          }
        }
      }
    }
  }

  /** The seq a delta's JSON starts with, or -1 when it does not start with one. */
  static long seqOf(byte[] delta) {
    if (delta.length <= SEQ_FIELD.length
        || !Arrays.equals(delta, 0, SEQ_FIELD.length, SEQ_FIELD, 0, SEQ_FIELD.length)) {
      return -1;
    }
    long seq = 0;
    int i = SEQ_FIELD.length;
    for (;
        i < delta.length && delta[i] >= '0' && delta[i] <= '9' && i < SEQ_FIELD.length + 19;
        i++) {
      seq = seq * 10 + (delta[i] - '0');
    }
    return i == SEQ_FIELD.length ? -1 : seq;
  }

  private Consumer<byte[], byte[]> borrow() throws InterruptedException {
    Consumer<byte[], byte[]> consumer = idle.poll();
    if (consumer != null) {
      return consumer;
    }
    if (created.getAndIncrement() < maxConsumers) {
      consumer = factory.get();
      synchronized (all) {
        all.add(consumer);
      }
      return consumer;
    }
    return idle.take();
  }

  @Override
  public void close() {
    synchronized (all) {
      for (Consumer<byte[], byte[]> c : all) {
        try {
          c.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          LOG.warn("closing a delta reader failed: {}", e.toString());
        }
      }
    }
  }
}
