package io.docstream.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Every committed record of some topics, read from the beginning with read_committed. */
final class CommittedRecords implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

  CommittedRecords(String bootstrap, List<String> topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                ProcessorConfig.MAX_RECORD_BYTES),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads until {@code done} holds for the records so far, failing after {@code timeout}. */
  List<ConsumerRecord<String, byte[]>> awaitUntil(
      Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
    Awaitility.await()
        .dontCatchUncaughtExceptions()
        .atMost(timeout)
        .pollInterval(Duration.ZERO)
        .pollDelay(Duration.ZERO)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(records::add);
              return done.test(records);
            });
    return records;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
