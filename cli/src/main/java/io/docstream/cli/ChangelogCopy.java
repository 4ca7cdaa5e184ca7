package io.docstream.cli;

import io.docstream.state.StoreKeys;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Copies one store's changelog to the next generation's: every committed record, key, value,
 * timestamp and headers as they are, to partition {@code murmur2(document) % partitions}. A
 * document's records sit on one source partition and go to one target partition through one
 * idempotent producer, so their order (and so what compaction keeps) is the source's.
 */
final class ChangelogCopy implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private final KafkaProducer<byte[], byte[]> producer;
  private final Properties consumerProps;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  ChangelogCopy(Properties producerProps, Properties consumerProps) {
    Properties p = new Properties();
    p.putAll(producerProps);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    p.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        ProcessorConfig.MAX_RECORD_BYTES + TopicSetup.RECORD_OVERHEAD_BYTES);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.consumerProps = new Properties();
    this.consumerProps.putAll(consumerProps);
    this.consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumerProps.put(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ProcessorConfig.MAX_RECORD_BYTES);
    this.consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
  }

  /** Records between {@code begin} and {@code end}: an upper bound of what a copy moves. */
  static long records(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().mapToLong(e -> e.getValue() - begin.get(e.getKey())).sum();
  }

  /** Offsets at the start and (stable) end of {@code topic}'s {@code partitions}. */
  List<Map<TopicPartition, Long>> bounds(String topic, int partitions) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> tps = partitions(topic, partitions);
      return List.of(consumer.beginningOffsets(tps), consumer.endOffsets(tps));
    }
  }

  /** Copies {@code store}'s records from {@code source} to {@code target} of {@code partitions}. */
  void copy(
      String store,
      String source,
      Map<TopicPartition, Long> end,
      String target,
      int partitions,
      RescaleProgress progress)
      throws InterruptedException {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> tps = List.copyOf(end.keySet());
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long stalledSince = System.nanoTime();
      while (!reached(consumer, end)) {
        var records = consumer.poll(POLL);
        if (records.isEmpty()) {
          if (System.nanoTime() - stalledSince > STALL_LIMIT.toNanos()) {
            throw new IllegalStateException(source + " gave no record for " + STALL_LIMIT);
          }
          continue;
        }
        stalledSince = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          byte[] document = StoreKeys.document(store, r.key());
          int partition = Utils.toPositive(Utils.murmur2(document)) % partitions;
          producer.send(
              new ProducerRecord<>(
                  target, partition, r.timestamp(), r.key(), r.value(), r.headers()),
              (meta, e) -> {
                if (e != null) {
                  sendFailure.compareAndSet(null, e);
                }
              });
          progress.moved(
              new String(document, StandardCharsets.UTF_8),
              r.key().length + (r.value() == null ? 0 : r.value().length));
        }
        throwIfFailed(target);
      }
    }
    producer.flush();
    throwIfFailed(target);
  }

  private void throwIfFailed(String target) {
    Exception e = sendFailure.get();
    if (e != null) {
      throw new IllegalStateException("cannot write to " + target + ": " + e, e);
    }
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(String topic, int count) {
    return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
  }

  @Override
  public void close() {
    producer.close();
  }
}
