package io.docstream.broker;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics an application needs, leaving those that already exist as they are. */
public final class Topics {
  /** How long creating all topics may take before it fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Topics() {}

  /**
   * Creates each topic that does not exist yet. An existing topic is left unchanged, even if its
   * partitions or configuration differ from {@code topics}.
   *
   * @param bootstrap the cluster's bootstrap servers
   * @param clientProps further admin client settings (security, timeouts); may be empty
   * @param topics the topics to create
   * @throws DocstreamException with {@link ErrorCode#TOPIC_SETUP_FAILED} when a topic can be
   *     neither created nor found to exist within {@link #TIMEOUT}
   */
  public static void createIfAbsent(
      String bootstrap, Map<String, Object> clientProps, List<NewTopic> topics) {
    Map<String, Object> config = new HashMap<>(clientProps);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin = Admin.create(config)) {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
      for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
        awaitCreated(result.getKey(), result.getValue(), bootstrap, deadline);
      }
    }
  }

  private static void awaitCreated(
      String topic, KafkaFuture<Void> result, String bootstrap, long deadline) {
    try {
      result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw failed(topic, bootstrap, e.getCause());
      }
    } catch (TimeoutException e) {
      throw failed(topic, bootstrap, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(topic, bootstrap, e);
    }
  }

  private static DocstreamException failed(String topic, String bootstrap, Throwable cause) {
    return new DocstreamException(
        ErrorCode.TOPIC_SETUP_FAILED,
        "Cannot create topic " + topic + " on " + bootstrap + ": " + cause,
        cause);
  }
}
