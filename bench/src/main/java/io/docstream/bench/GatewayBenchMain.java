package io.docstream.bench;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import io.netty.util.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The gateway load benchmark: thousands of WebSocket connections on one gateway, each subscribed to
 * one of a few documents; first their memory while idle, then paced fan-out traffic at a few rates
 * and a ramp to saturation. The broker, the processor and the gateway each run in their own JVM;
 * the load clients, the producer and a Kafka consumer in this one. Results go to {@code
 * bench/results/<date>-gateway.md}.
 */
@Command(
    name = "gateway-bench",
    mixinStandardHelpOptions = true,
    description = "Connections, memory per idle connection, fan-out throughput and latency.")
public final class GatewayBenchMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(GatewayBenchMain.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final int WARM_UP_CONNECTIONS = 500;

  /** A generous allowance per ramp step beyond its warm-up and window, for draining. */
  private static final int STEP_SLACK_SECONDS = 15;

  @Mixin GatewayBenchOptions options;

  private long startNanos;
  private final List<String> notes = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayBenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    startNanos = System.nanoTime();
    if (options.connections < options.documents || options.documents < 1) {
      throw new IllegalArgumentException("--connections must be at least --documents (>= 1)");
    }
    if (options.connectPerSecond < 1 || options.clientThreads < 1) {
      throw new IllegalArgumentException("--connect-rate and --client-threads must be >= 1");
    }
    OsLimits limits = OsLimits.read();
    limits.require(options.connections);
    Conditions conditions = Conditions.now();
    Path work = options.workDir.toAbsolutePath();
    Utils.delete(work.toFile());
    TopicNames topics = new TopicNames("bench");
    IdleMemory memory;
    List<FanOutStep> steps;
    try (KafkaBroker broker =
        KafkaBroker.start(
            BrokerOptions.inDirectory(work.resolve("broker"))
                .withHeapMegabytes(options.brokerHeapMegabytes)
                .withFullJit(true))) {
      String bootstrap = broker.bootstrapServers();
      TopicSetup.ensure(
          TopicSetup.adminProps(bootstrap, Map.of()), topics, options.partitions, (short) 1);
      int httpPort = Ports.free();
      try (ChildJvm processor =
              ProcessorJvm.start(
                  bootstrap,
                  topics,
                  "",
                  work,
                  httpPort,
                  options.processorHeapMegabytes,
                  options.processorSettings().processor(),
                  List.of());
          OutputProbe probe =
              new OutputProbe(bootstrap, topics.deltas(), List.of(topics.rejections()));
          LoadGenerator generator = new LoadGenerator(bootstrap)) {
        log.info("waiting for the processor");
        Procedure.awaitEndToEnd(
            generator, probe, new Workload(topics.commands(), "ready", Workload.docs("ready", 1)));
        FanOutWorkload workload =
            new FanOutWorkload(topics.commands(), "fan", options.documents, options.connections);
        ReceivedFrames frames = new ReceivedFrames();
        try (GatewayJvm gateway =
                GatewayJvm.start(
                    bootstrap,
                    topics,
                    httpPort,
                    work,
                    options.gatewayHeapMegabytes,
                    options.gatewayIoThreads,
                    options.hubThreads,
                    options.gatewayJfr);
            WebSocketClients clients =
                new WebSocketClients(options.clientThreads, gateway.address(), frames)) {
          gateway.awaitHealthy(START_TIMEOUT);
          memory = idleMemory(gateway, clients, workload, frames);
          steps =
              traffic(
                  new FanOutProcedure(
                      generator,
                      workload,
                      frames,
                      probe,
                      clients,
                      new CpuClock(gateway.jvm().pid(), processor.pid(), broker.pid(), clients),
                      gateway,
                      options.fanOut()));
          clientNotes(frames);
          clients.closeAll(CLOSE_TIMEOUT);
          if (!gateway.awaitConnections(0, CLOSE_TIMEOUT)) {
            notes.add("the gateway still counted open connections 30 s after all were closed");
          }
          memory = memory.withAfter(JvmMemory.of(gateway.jvm().pid()));
          processor.requireAlive();
        }
      }
    }
    Path report =
        new GatewayReport(
                options,
                conditions,
                Conditions.loadAverage(),
                limits,
                Version.identify().get("netty-common").artifactVersion(),
                memory,
                steps,
                notes,
                elapsed())
            .writeTo(options.resultsDir);
    System.out.println(Files.readString(report));
    System.out.println("written to " + report);
    return 0;
  }

  /**
   * Opens a warm-up round of connections and closes it (first-use costs), then measures the gateway
   * with none, half and all connections open and subscribed; leaves all open.
   */
  private IdleMemory idleMemory(
      GatewayJvm gateway, WebSocketClients clients, FanOutWorkload workload, ReceivedFrames frames)
      throws Exception {
    int n = options.connections;
    int warmUp = Math.min(n, WARM_UP_CONNECTIONS);
    log.info("warm-up round: {} connections", warmUp);
    clients.open(
        warmUp,
        options.connectPerSecond,
        i -> gateway.webSocketUri("warm-" + i),
        workload::docOf,
        OPEN_TIMEOUT);
    clients.closeAll(CLOSE_TIMEOUT);
    if (!gateway.awaitConnections(0, CLOSE_TIMEOUT)) {
      throw new IllegalStateException("the gateway did not see the warm-up round close");
    }
    long pid = gateway.jvm().pid();
    JvmMemory none = JvmMemory.of(pid);
    long cpu = open(gateway, clients, workload, 0, n / 2);
    JvmMemory half = JvmMemory.of(pid);
    cpu += open(gateway, clients, workload, n / 2, n);
    JvmMemory full = JvmMemory.of(pid);
    log.info(
        "idle memory: none {} B, half {} B, full {} B live heap",
        none.liveHeapBytes(),
        half.liveHeapBytes(),
        full.liveHeapBytes());
    return new IdleMemory(n, none, half, full, null, (double) cpu / n);
  }

  /** Opens connections {@code from} (inclusive) to {@code to}; returns the gateway's CPU ms. */
  private long open(
      GatewayJvm gateway, WebSocketClients clients, FanOutWorkload workload, int from, int to)
      throws Exception {
    log.info("opening connections {} to {}", from, to - 1);
    long cpu = gateway.jvm().cpuMillis();
    clients.open(
        to - from,
        options.connectPerSecond,
        i -> gateway.webSocketUri("v" + (from + i)),
        i -> workload.docOf(from + i),
        OPEN_TIMEOUT);
    if (!gateway.awaitConnections(to, CLOSE_TIMEOUT)) {
      throw new IllegalStateException("the gateway does not count " + to + " connections");
    }
    return gateway.jvm().cpuMillis() - cpu;
  }

  /** The paced steps, then the ramp until saturated, the step limit or the time limit. */
  private List<FanOutStep> traffic(FanOutProcedure procedure) throws Exception {
    List<FanOutStep> steps = new ArrayList<>();
    Duration window = Duration.ofSeconds(options.windowSeconds);
    Duration shortWarmUp = Duration.ofSeconds(options.shortWarmUpSeconds);
    boolean first = true;
    for (int rate : options.ratesPerSecond) {
      Duration warmUp = first ? Duration.ofSeconds(options.warmUpSeconds) : shortWarmUp;
      steps.add(procedure.run(false, rate, warmUp, window));
      first = false;
    }
    Duration rampWindow = Duration.ofSeconds(options.rampSeconds);
    double rate = options.rampStartPerSecond;
    for (int step = 0; rate > 0 && step < options.rampSteps; step++) {
      if (!fits(options.shortWarmUpSeconds + options.rampSeconds + STEP_SLACK_SECONDS)) {
        notes.add("ramp stopped at " + (int) rate + " msg/s: it would exceed --max-minutes");
        break;
      }
      FanOutStep s = procedure.run(true, (int) rate, shortWarmUp, rampWindow);
      steps.add(s);
      if (s.saturated()) {
        break;
      }
      rate *= options.rampFactor;
    }
    return steps;
  }

  private void clientNotes(ReceivedFrames frames) {
    if (frames.others() > 0) {
      notes.add(frames.others() + " frames were neither deltas nor snapshots (see the log)");
    }
    if (!frames.closes().isEmpty()) {
      notes.add("the gateway closed connections: " + frames.closes());
    }
  }

  private boolean fits(long seconds) {
    return elapsed().toSeconds() + seconds <= options.maxMinutes * 60L;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
