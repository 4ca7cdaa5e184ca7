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
 * before each of them, also when timestamps are not monotonic), or to the last stable offset when
 * no committed record is that recent, and reads forward, keeping the records of the document whose
 * seq is wanted, until all are found or a bound is hit ({@link Bounds}).
 *
 * <p>The slots that locate the deltas are written by the processor before its transaction commits:
 * the store is ahead of the topic's last stable offset by up to one commit. So a read does not stop
 * at the last stable offset: it keeps polling (a read_committed fetch returns as soon as the commit
 * markers are written) until the wanted deltas show up or the time bound passes. Those still
 * missing then are reported pending, never as gone, unless a later delta of the document was read
 * on the same partition (a document's deltas are written in seq order, so an earlier one missing
 * there was deleted by retention or went to another partition).
 *
 * <p>Consumers (no group, assigned by hand) are pooled, at most one per concurrent request, and
 * reused.
 */
public final class TopicDeltaLog implements DeltaLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicDeltaLog.class);
  private static final byte[] SEQ_FIELD = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * How far one request may scan, per partition: records, bytes and time (reading and waiting for
   * deltas not committed yet). Each bounds the work a request can cause; past the records or bytes
   * the rest is not found, past the time it is pending.
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
  public Found read(String doc, List<Place> wanted) {
    Map<Integer, List<Place>> byPartition = new TreeMap<>();
    for (Place p : wanted) {
      byPartition.computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p);
    }
    Map<Long, byte[]> found = new HashMap<>();
    Set<Long> pending = new HashSet<>();
    Consumer<byte[], byte[]> consumer;
    try {
      consumer = borrow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return notRead(wanted, found);
    }
    try {
      byte[] key = doc.getBytes(StandardCharsets.UTF_8);
      for (Map.Entry<Integer, List<Place>> e : byPartition.entrySet()) {
        scan(consumer, new TopicPartition(topic, e.getKey()), key, e.getValue(), found, pending);
      }
      return new Found(found, pending);
    } catch (KafkaException e) {
      LOG.warn("reading deltas of {} from {} failed: {}", doc, topic, e.toString());
      return notRead(wanted, found);
    } finally {
      consumer.unsubscribe();
      idle.add(consumer);
    }
  }

  /** What was found, and everything else pending: the log could not be read (to the end). */
  private static Found notRead(List<Place> wanted, Map<Long, byte[]> found) {
    Set<Long> pending = new HashSet<>();
    for (Place p : wanted) {
      if (!found.containsKey(p.seq())) {
        pending.add(p.seq());
      }
    }
    return new Found(found, pending);
  }

  private void scan(
      Consumer<byte[], byte[]> consumer,
      TopicPartition partition,
      byte[] key,
      List<Place> wanted,
      Map<Long, byte[]> found,
      Set<Long> pending) {
    long from = Long.MAX_VALUE;
    Set<Long> seqs = new HashSet<>();
    for (Place p : wanted) {
      from = Math.min(from, p.timestampMillis());
      seqs.add(p.seq());
    }
    long deadline = System.nanoTime() + bounds.time().toNanos();
    consumer.assign(List.of(partition));
    // read before the lookup: a null lookup then means every wanted record is at or after it
    long stable = consumer.endOffsets(List.of(partition), bounds.time()).get(partition);
    OffsetAndTimestamp start =
        consumer
            .offsetsForTimes(Map.of(partition, Math.max(0, from)), bounds.time())
            .get(partition);
    consumer.seek(partition, start == null ? stable : start.offset());
    long records = 0;
    long bytes = 0;
    long lastSeq = -1;
    while (!seqs.isEmpty()) {
      if (System.nanoTime() > deadline) {
        pending.addAll(seqs);
        return;
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(partition)) {
        if (records >= bounds.records() || bytes >= bounds.bytes()) {
          return;
        }
        records++;
        bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        if (Arrays.equals(r.key(), key) && r.value() != null) {
          long seq = seqOf(r.value());
          if (seqs.remove(seq)) {
            found.put(seq, r.value());
          }
          lastSeq = Math.max(lastSeq, seq);
        }
      }
      long last = lastSeq;
      seqs.removeIf(seq -> seq < last);
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
