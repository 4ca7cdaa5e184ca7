package io.docstream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A generation of a processor application: the Kafka Streams application id its state lives under
 * and the partition count it was made for. Generation 1 is the configured {@code application.id}
 * itself; each offline rescale makes the next one ({@code <application.id>-g<n>}) with new
 * changelog topics and flips the record keyed by {@code application.id} on the control topic, which
 * a processor reads at start (docs/design/rescale.md).
 *
 * @param partitions the partition count the generation was made for, 0 for generation 1
 */
public record Generation(int number, int partitions) {
  public static final Generation FIRST = new Generation(1, 0);

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The Kafka Streams application id of this generation of {@code baseApplicationId}. */
  public String applicationId(String baseApplicationId) {
    return number == 1 ? baseApplicationId : baseApplicationId + "-g" + number;
  }

  public Generation next(int newPartitions) {
    return new Generation(number + 1, newPartitions);
  }

  /** The current generation of {@code baseApplicationId}: the last one flipped, or the first. */
  public static Generation current(Properties client, TopicNames topics, String baseApplicationId) {
    String control = topics.control();
    try (Admin admin = Admin.create(client)) {
      if (!admin
          .listTopics()
          .names()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          .contains(control)) {
        return FIRST;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while listing topics", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE, "cannot list topics to find " + control + ": " + e, e);
    }
    Properties props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    TopicPartition partition = new TopicPartition(control, 0);
    Generation found = FIRST;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(partition, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new DocstreamException(
              ErrorCode.KAFKA_UNREACHABLE, control + " not read to its end within " + TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null
              && r.value() != null
              && new String(r.key(), StandardCharsets.UTF_8).equals(baseApplicationId)) {
            JsonNode value = Json.parse(r.value());
            found =
                new Generation(value.path("generation").asInt(), value.path("partitions").asInt());
          }
        }
      }
    }
    return found;
  }

  /**
   * Makes {@code generation} the current one of {@code baseApplicationId}: one record, written once
   * it is acknowledged by every in-sync replica. Creates the control topic if absent.
   */
  public static void flip(
      Properties client,
      TopicNames topics,
      String baseApplicationId,
      Generation generation,
      short replicationFactor) {
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.control(), 1, replicationFactor)
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw failed("cannot create " + topics.control(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while creating " + topics.control(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw failed("Kafka did not answer within " + TIMEOUT, e);
    }
    Properties props = new Properties();
    props.putAll(client);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    byte[] value =
        Json.bytes(
            Map.of("generation", generation.number(), "partitions", generation.partitions()));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.control(), 0, baseApplicationId.getBytes(StandardCharsets.UTF_8), value))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw failed("cannot write the generation to " + topics.control(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while writing to " + topics.control(), e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw failed("Kafka did not answer within " + TIMEOUT, e);
    }
  }

  private static DocstreamException failed(String message, Throwable cause) {
    return new DocstreamException(
        ErrorCode.TOPIC_SETUP_FAILED, message + ": " + cause.getMessage(), cause);
  }
}
