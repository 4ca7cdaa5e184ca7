package io.docstream.cli;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default: a real single-node Kafka broker, the topics, a processor and a gateway.
 * Prints that it is ready only once the processor has restored its stores, restarts the broker when
 * it dies, and records itself for {@code token}, {@code get} and {@code verify}.
 */
@Command(
    name = "run",
    description =
        "Start everything on this machine: a Kafka broker (KRaft, own JVM), topics, processor,"
            + " gateway.")
final class RunCommand implements Callable<Integer> {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where the broker and state live (default: ${DEFAULT-VALUE}).")
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
    CompletableFuture<DocstreamException> failed = new CompletableFuture<>();
    List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(running), "docstream-shutdown"));
    KafkaBroker broker =
        KafkaBroker.start(
            BrokerOptions.inDirectory(dataDir.resolve("kafka").toAbsolutePath())
                .withPort(kafkaPort)
                .withControllerPort(kafkaPort + 1));
    BrokerWatch watch = new BrokerWatch(broker, System.out, failed::complete);
    running.add(watch::stop);
    ConfigReader reader = new ConfigReader(settings(broker));
    ProcessorConfig config = ProcessorConfig.from(reader);
    TopicSetup.ensure(
        TopicSetup.adminProps(config.bootstrapServers(), config.kafka()),
        config.topics(),
        config.partitions(),
        config.replicationFactor());
    StartupProgress progress = new StartupProgress(System.out);
    ProcessorApp processor = ProcessorApp.start(config, progress);
    running.add(0, processor);
    progress.awaitReady(processor.streams(), READY_TIMEOUT);
    GatewayApp gateway = GatewayApp.start(GatewayConfig.from(reader));
    running.add(0, gateway);
    RunRecord record = RunRecord.writeForThisProcess(dataDir);
    running.add(0, record::remove);
    printReady(broker, config, processor, gateway, dataDir.resolve(Secrets.HTTP));
    DocstreamException reason = failed.get();
    closeAll(running);
    throw reason;
  }

  private Map<String, String> settings(KafkaBroker broker) {
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("state.dir", dataDir.resolve("state").toString());
    settings.put("http.port", Integer.toString(httpPort));
    settings.put("topic.partitions", Integer.toString(partitions));
    settings.put("gateway.port", Integer.toString(gatewayPort));
    settings.put("processor.urls", "http://127.0.0.1:" + httpPort);
    settings.put("auth.hs256.secret", Secrets.readOrCreate(dataDir, Secrets.DEV));
    settings.put("http.secret", Secrets.readOrCreate(dataDir, Secrets.HTTP));
    settings.put("gateway.dev.tokens", "true");
    // A static member: after a crash the new run takes its partitions back at once instead of
    // waiting for the dead member's session to expire (45 s).
    settings.put(
        "kafka." + StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        "docstream-run");
    settings.putAll(ConfigReader.load(null, System.getenv()).all());
    // The gateway sends the processor's secret, whichever of the two was set.
    settings.put("processor.secret", settings.get("http.secret"));
    return settings;
  }

  private static void printReady(
      KafkaBroker broker,
      ProcessorConfig config,
      ProcessorApp processor,
      GatewayApp gateway,
      Path httpSecret) {
    System.out.printf(
        "%ndocstream is ready: every store is restored and messages are being applied.%n"
            + "  Kafka:     %s (topics %s.commands / .deltas / .rejections)%n"
            + "  Read API:  http://127.0.0.1:%d/docs/chat/lobby  (internal: send header"
            + " X-Docstream-Secret: $(cat %s); ./docstream get does)%n"
            + "  Metrics:   http://127.0.0.1:%d/metrics%n"
            + "  Demo:      http://127.0.0.1:%d/  (open it in two windows as two viewers)%n"
            + "  Gateway:   ws://127.0.0.1:%d/ws?token=$(./docstream token alice)%n"
            + "Try:  ./docstream send chat/lobby '{\"say\":\"hi\"}' --actor alice%n"
            + "      ./docstream tail chat/lobby%n"
            + "Stop with Ctrl-C.%n",
        broker.bootstrapServers(),
        config.topics().prefix(),
        processor.httpPort(),
        httpSecret,
        processor.httpPort(),
        gateway.port(),
        gateway.port());
  }

  /** Closes in order, once: gateway, processor, then the broker. */
  private static void closeAll(List<AutoCloseable> running) {
    synchronized (running) {
      for (AutoCloseable resource : running) {
        try {
          resource.close();
        } catch (Exception e) {
          System.err.println("error while stopping " + resource + ": " + e);
        }
      }
      running.clear();
    }
  }
}
