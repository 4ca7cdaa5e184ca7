package io.docstream.cli;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.broker.KafkaCluster;
import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
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
 * The embedded default: a real single-node Kafka broker (or, with {@code --brokers 3}, a three-node
 * cluster with topics of replication factor 3), the topics, a processor and a gateway. Prints that
 * it is ready only once the processor has restored its stores, restarts a single broker when it
 * dies, and records itself for {@code token}, {@code get} and {@code verify}.
 */
@Command(
    name = "run",
    description =
        "Start everything on this machine: a Kafka broker (KRaft, own JVM), topics, processor,"
            + " gateway.")
final class RunCommand implements Callable<Integer> {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  private static final int MAX_BROKERS = 5;

  /**
   * A quorum forms only once every node's JVM is up: on a loaded two-core machine that took over a
   * minute (CI), against 10 s on a quiet one.
   */
  private static final Duration CLUSTER_START_TIMEOUT = Duration.ofSeconds(180);

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where the broker and state live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description =
          "Broker port on 127.0.0.1; its controller takes the next one. With --brokers N, node i"
              + " (from 0) takes port + 2i and port + 2i + 1.")
  int kafkaPort;

  @Option(
      names = "--brokers",
      defaultValue = "1",
      description =
          "Kafka nodes, each its own JVM (default: ${DEFAULT-VALUE}). 3 gives a replicated"
              + " cluster: topics with replication factor 3 and min.insync.replicas 2; a dead node"
              + " is not restarted by run.")
  int brokers;

  @Option(
      names = "--broker-setting",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka broker property for every node, e.g. group.min.session.timeout.ms=2000"
              + " (repeatable; the listeners, ids and log dirs are run's own).")
  Map<String, String> brokerSettings = new TreeMap<>();

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
    String bootstrap = startKafka(running, failed);
    ConfigReader reader = new ConfigReader(settings(bootstrap));
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
    printReady(bootstrap, config, processor, gateway, dataDir.resolve(Secrets.HTTP));
    DocstreamException reason = failed.get();
    closeAll(running);
    throw reason;
  }

  /** Starts the broker or cluster, adds its stop to {@code running}, returns its bootstrap. */
  private String startKafka(
      List<AutoCloseable> running, CompletableFuture<DocstreamException> failed) {
    if (brokers < 1 || brokers > MAX_BROKERS) {
      throw new DocstreamException(
          ErrorCode.CLI_INPUT_INVALID, "--brokers must be 1-" + MAX_BROKERS + ", was " + brokers);
    }
    BrokerOptions options =
        BrokerOptions.inDirectory(dataDir.resolve("kafka").toAbsolutePath()).withPort(kafkaPort);
    for (Map.Entry<String, String> setting : brokerSettings.entrySet()) {
      options = options.withSetting(setting.getKey(), setting.getValue());
    }
    if (brokers > 1) {
      KafkaCluster cluster =
          KafkaCluster.start(
              options
                  .withHeapMegabytes(KafkaCluster.DEFAULT_HEAP_MEGABYTES)
                  .withStartTimeout(CLUSTER_START_TIMEOUT),
              brokers);
      running.add(cluster);
      return cluster.bootstrapServers();
    }
    KafkaBroker broker = KafkaBroker.start(options.withControllerPort(kafkaPort + 1));
    BrokerWatch watch = new BrokerWatch(broker, System.out, failed::complete);
    running.add(watch::stop);
    return broker.bootstrapServers();
  }

  private Map<String, String> settings(String bootstrap) {
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", bootstrap);
    settings.put("topic.replication.factor", Integer.toString(Math.min(brokers, 3)));
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
      String bootstrap,
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
        bootstrap,
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
