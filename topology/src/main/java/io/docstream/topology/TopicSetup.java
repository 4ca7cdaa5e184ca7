package io.docstream.topology;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates docstream's topics and reads the partition count of the commands topic. */
public final class TopicSetup {
  private static final long TIMEOUT_SECONDS = 30;

  private TopicSetup() {}

  public static Properties adminProps(String bootstrap, Map<String, String> kafka) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  /** Creates the three topics if absent; existing topics are left as they are. */
  public static void ensure(
      Properties admin, TopicNames topics, int partitions, short replicationFactor) {
    Map<String, String> common =
        Map.of(
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            Integer.toString(ProcessorConfig.MAX_RECORD_BYTES),
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
            Integer.toString(Math.min(2, replicationFactor)));
    List<NewTopic> wanted =
        List.of(topics.commands(), topics.deltas(), topics.rejections()).stream()
            .map(name -> new NewTopic(name, partitions, replicationFactor).configs(common))
            .toList();
    try (Admin client = Admin.create(admin)) {
      for (NewTopic topic : wanted) {
        try {
          client.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw failed("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw failed("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /** The partition count of {@code topic}. */
  public static int partitions(Properties admin, String topic) {
    try (Admin client = Admin.create(admin)) {
      TopicDescription description =
          client
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .get(topic);
      return description.partitions().size();
    } catch (ExecutionException e) {
      throw failed("cannot describe topic " + topic + " (create it first)", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while describing " + topic, e);
    } catch (TimeoutException e) {
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE, "Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  private static DocstreamException failed(String message, Throwable cause) {
    return new DocstreamException(
        ErrorCode.TOPIC_SETUP_FAILED, message + ": " + cause.getMessage(), cause);
  }
}
