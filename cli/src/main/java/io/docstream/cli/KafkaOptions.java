package io.docstream.cli;

import ch.qos.logback.classic.Level;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster is and how long to wait for it, shared by the client commands. Every
 * Kafka client call of a command is bounded by {@code --timeout-ms}, and the clients' own
 * connection warnings are not shown: a command that cannot reach Kafka says so in one coded line.
 */
final class KafkaOptions {
  @Option(
      names = "--bootstrap",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, the embedded broker).")
  String bootstrap;

  @Option(
      names = "--topic-prefix",
      defaultValue = "docstream",
      description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--client-config",
      description = "Properties file with Kafka client settings (kafka.* keys), e.g. security.")
  Path clientConfig;

  @Option(
      names = "--timeout-ms",
      defaultValue = "15000",
      description =
          "Give up after this long when Kafka does not answer; send also waits this long for the"
              + " outcome (default: ${DEFAULT-VALUE}).")
  long timeoutMillis;

  TopicNames topics() {
    return new TopicNames(topicPrefix);
  }

  Duration timeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  Properties consumerProps() {
    Properties props = common();
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, clientTimeoutMillis());
    return props;
  }

  Properties producerProps() {
    Properties props = common();
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, clientTimeoutMillis());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // Acknowledged only once every in-sync replica has it: a lost leader loses no send.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  Properties adminProps() {
    Properties props = common();
    props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, clientTimeoutMillis());
    return props;
  }

  private Properties common() {
    quietKafkaClients();
    Properties props = new Properties();
    if (clientConfig != null) {
      props.putAll(ConfigReader.load(clientConfig, Map.of()).withPrefix("kafka."));
    }
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, clientTimeoutMillis());
    props.put(
        CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
        (int)
            Math.min(
                timeoutMillis, CommonClientConfigs.DEFAULT_SOCKET_CONNECTION_SETUP_TIMEOUT_MS));
    return props;
  }

  /** Kafka's limits are ints, and a request timeout of 0 is refused. */
  private int clientTimeoutMillis() {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis));
  }

  /**
   * Kafka clients log a WARN per failed connection attempt, many a second against a dead broker; a
   * command reports the failure itself, so only their errors are shown.
   */
  private static void quietKafkaClients() {
    if (LoggerFactory.getLogger("org.apache.kafka")
        instanceof ch.qos.logback.classic.Logger kafka) {
      kafka.setLevel(Level.ERROR);
    }
  }
}
