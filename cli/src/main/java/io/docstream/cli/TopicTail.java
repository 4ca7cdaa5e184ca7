package io.docstream.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A read_committed consumer over every partition of some topics, without a consumer group. */
final class TopicTail implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;

  TopicTail(Properties client, List<String> topics, boolean fromBeginning) {
    Properties props = new Properties();
    props.putAll(client);
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }
  }

  ConsumerRecords<String, String> poll(Duration timeout) {
    return consumer.poll(timeout);
  }

  /** True when every assigned partition has been read to its end. */
  boolean atEnd() {
    return reached(ends());
  }

  /** The current end of every assigned partition. */
  Map<TopicPartition, Long> ends() {
    return consumer.endOffsets(consumer.assignment());
  }

  /** True when every partition has been read up to {@code ends}. */
  boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  @Override
  public void close() {
    consumer.close();
  }
}
