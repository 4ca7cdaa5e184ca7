package io.docstream.cli;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is, shared by the client commands. */
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

  TopicNames topics() {
    return new TopicNames(topicPrefix);
  }

  Properties clientProps() {
    Properties props = new Properties();
    if (clientConfig != null) {
      props.putAll(ConfigReader.load(clientConfig, Map.of()).withPrefix("kafka."));
    }
    props.put("bootstrap.servers", bootstrap);
    return props;
  }
}
