package io.docstream.cli;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The embedded default: a real single-node Kafka broker, the topics and a processor. */
@Command(
    name = "run",
    description =
        "Start everything on this machine: a Kafka broker (KRaft, own JVM), topics, processor.")
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where the broker and state live.")
  Path dataDir;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on 127.0.0.1.")
  int kafkaPort;

  @Option(names = "--http-port", defaultValue = "8081", description = "Processor read API port.")
  int httpPort;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic.")
  int partitions;

  @Option(names = "--gateway-port", defaultValue = "8080", description = "WebSocket gateway port.")
  int gatewayPort;

  @Override
  public Integer call() throws Exception {
    KafkaBroker broker =
        KafkaBroker.start(
            BrokerOptions.inDirectory(dataDir.resolve("kafka").toAbsolutePath())
                .withPort(kafkaPort)
                .withControllerPort(kafkaPort + 1));
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("state.dir", dataDir.resolve("state").toString());
    settings.put("http.port", Integer.toString(httpPort));
    settings.put("topic.partitions", Integer.toString(partitions));
    settings.put("gateway.port", Integer.toString(gatewayPort));
    settings.put("processor.urls", "http://127.0.0.1:" + httpPort);
    settings.put("auth.hs256.secret", DevSecret.readOrCreate(dataDir));
    settings.put("gateway.dev.tokens", "true");
    settings.putAll(ConfigReader.load(null, System.getenv()).all());
    ConfigReader reader = new ConfigReader(settings);
    ProcessorConfig config = ProcessorConfig.from(reader);
    TopicSetup.ensure(
        TopicSetup.adminProps(config.bootstrapServers(), config.kafka()),
        config.topics(),
        config.partitions(),
        config.replicationFactor());
    ProcessorApp processor = ProcessorApp.start(config);
    processor.awaitRunning(Duration.ofSeconds(120));
    GatewayApp gateway = GatewayApp.start(GatewayConfig.from(reader));
    System.out.printf(
        "%ndocstream is running.%n"
            + "  Kafka:     %s (topics %s.commands / .deltas / .rejections)%n"
            + "  Read API:  http://127.0.0.1:%d/docs/chat/lobby%n"
            + "  Metrics:   http://127.0.0.1:%d/metrics%n"
            + "  Demo:      http://127.0.0.1:%d/  (open it in two windows as two viewers)%n"
            + "  Gateway:   ws://127.0.0.1:%d/ws?token=$(./docstream token alice)%n"
            + "Try:  ./docstream send chat/lobby '{\"say\":\"hi\"}' --actor alice%n"
            + "      ./docstream tail chat/lobby%n"
            + "Stop with Ctrl-C.%n",
        broker.bootstrapServers(),
        config.topics().prefix(),
        processor.httpPort(),
        processor.httpPort(),
        gateway.port(),
        gateway.port());
    ProcessorCommand.runUntilStopped(gateway, processor, broker);
    return 0;
  }
}
