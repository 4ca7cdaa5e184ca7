package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A read_committed consumer over every partition of some topics, without a consumer group. */
final class TopicTail implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
  private final KafkaConsumer<String, String> consumer;

  /**
   * Assigns every partition of {@code topics}.
   *
   * @throws DocstreamException {@link ErrorCode#KAFKA_UNREACHABLE} when Kafka does not answer
   *     within the clients' default API timeout, {@link ErrorCode#TOPIC_SETUP_FAILED} when a topic
   *     does not exist
   */
  TopicTail(Properties consumerProps, List<String> topics, boolean fromBeginning) {
    Properties props = new Properties();
    props.putAll(consumerProps);
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> found = consumer.partitionsFor(topic);
        if (found.isEmpty()) {
          throw new DocstreamException(
              ErrorCode.TOPIC_SETUP_FAILED,
              "topic " + topic + " does not exist (docstream topics create makes it)");
        }
        found.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
      }
    } catch (TimeoutException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE,
          "Kafka at "
              + props.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
              + " did not answer within "
              + props.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)
              + " ms",
          e);
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
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
    consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
  }
}
