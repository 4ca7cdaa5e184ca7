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
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates docstream's topics, reads the partition count of the commands topic and checks that the
 * topics take the largest records the processor writes.
 */
public final class TopicSetup {
  /**
   * Room for what a record holds beside its value: the key (a document key or a cut one, at most 1
   * KiB), a header, and Kafka's record and batch framing.
   */
  public static final int RECORD_OVERHEAD_BYTES = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final long TIMEOUT_SECONDS = 30;
  private static final long UNKNOWN_TOPIC_WAIT_SECONDS = 10;
  private static final long UNKNOWN_TOPIC_RETRY_MILLIS = 100;

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
          whenKnown(
                  () ->
                      client
                          .describeTopics(List.of(topic))
                          .allTopicNames()
                          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
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

  /**
   * Checks that {@code commands} takes a message of {@code max.message.bytes} (re-routed records
   * and timers are written back to it) and {@code deltas} a delta of {@code max.delta.bytes}, each
   * with {@link #RECORD_OVERHEAD_BYTES}: a record over a topic's limit would fail its task on every
   * retry. Skipped with a warning when the cluster does not let this client read topic configs.
   *
   * @throws DocstreamException with {@link ErrorCode#TOPIC_SETUP_FAILED} naming the topic, its
   *     limit and the setting to change
   */
  public static void checkRecordLimits(Properties admin, ProcessorConfig config) {
    Map<String, Integer> needed =
        Map.of(
            config.topics().commands(), config.maxMessageBytes() + RECORD_OVERHEAD_BYTES,
            config.topics().deltas(), config.maxDeltaBytes() + RECORD_OVERHEAD_BYTES);
    Map<String, String> setting =
        Map.of(
            config.topics().commands(), "max.message.bytes",
            config.topics().deltas(), "max.delta.bytes");
    List<ConfigResource> resources =
        needed.keySet().stream()
            .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
            .toList();
    Map<ConfigResource, Config> configs;
    try (Admin client = Admin.create(admin)) {
      configs =
          whenKnown(
              () -> client.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        LOG.warn("cannot read topic configs to check record limits: {}", e.getCause().toString());
        return;
      }
      throw failed("cannot read the configs of " + needed.keySet(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted while reading topic configs", e);
    } catch (TimeoutException e) {
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE, "Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
    }
    for (Map.Entry<ConfigResource, Config> topic : configs.entrySet()) {
      String name = topic.getKey().name();
      ConfigEntry limit = topic.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (limit != null && Long.parseLong(limit.value()) < needed.get(name)) {
        throw new DocstreamException(
            ErrorCode.TOPIC_SETUP_FAILED,
            "topic "
                + name
                + " takes records of at most "
                + limit.value()
                + " bytes (max.message.bytes), but "
                + setting.get(name)
                + " "
                + (needed.get(name) - RECORD_OVERHEAD_BYTES)
                + " needs "
                + needed.get(name)
                + ": raise the topic's max.message.bytes (kafka-configs --alter --entity-type topics"
                + " --entity-name "
                + name
                + " --add-config max.message.bytes="
                + needed.get(name)
                + ") or lower "
                + setting.get(name));
      }
    }
  }

  /**
   * The answer of {@code request}. A topic created a moment ago may not be known yet to the broker
   * that answers (its metadata arrives asynchronously): that answer is retried for up to {@value
   * #UNKNOWN_TOPIC_WAIT_SECONDS} s.
   */
  private static <T> T whenKnown(AdminRequest<T> request)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(UNKNOWN_TOPIC_WAIT_SECONDS);
    while (true) {
      try {
        return request.answer();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(UNKNOWN_TOPIC_RETRY_MILLIS);
      }
    }
  }

  /** One admin request, waited for. */
  private interface AdminRequest<T> {
    T answer() throws ExecutionException, InterruptedException, TimeoutException;
  }

  private static DocstreamException failed(String message, Throwable cause) {
    return new DocstreamException(
        ErrorCode.TOPIC_SETUP_FAILED, message + ": " + cause.getMessage(), cause);
  }
}
