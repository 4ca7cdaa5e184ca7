package io.docstream.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The knobs of a gateway bench run; the defaults keep a whole run under ten minutes on two cores
 * shared by the broker, the processor, the gateway and the load clients.
 */
final class GatewayBenchOptions {
  @Option(
      names = "--connections",
      defaultValue = "5000",
      description = "WebSocket connections to the one gateway (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--documents",
      defaultValue = "100",
      description = "Documents; connection i subscribes to document i mod D (fan-out = N / D).")
  int documents;

  @Option(names = "--connect-rate", defaultValue = "500", description = "Connections opened/s.")
  int connectPerSecond;

  @Option(
      names = "--client-threads",
      defaultValue = "1",
      description = "Netty event-loop threads for all load clients.")
  int clientThreads;

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "100,200,400",
      description = "Paced input messages/s, one step each (deliveries/s = rate x fan-out).")
  List<Integer> ratesPerSecond;

  @Option(
      names = "--warm-up-seconds",
      defaultValue = "30",
      description = "Before the first step (JIT warm-up).")
  int warmUpSeconds;

  @Option(
      names = "--short-warm-up-seconds",
      defaultValue = "3",
      description = "Before every later step, at its rate.")
  int shortWarmUpSeconds;

  @Option(names = "--window-seconds", defaultValue = "20", description = "Each paced step.")
  int windowSeconds;

  @Option(
      names = "--ramp-start",
      defaultValue = "560",
      description = "First input messages/s of the saturating ramp; 0 skips the ramp.")
  int rampStartPerSecond;

  @Option(names = "--ramp-factor", defaultValue = "1.4", description = "Rate growth per step.")
  double rampFactor;

  @Option(names = "--ramp-steps", defaultValue = "6", description = "At most this many steps.")
  int rampSteps;

  @Option(names = "--ramp-seconds", defaultValue = "10", description = "Each ramp step.")
  int rampSeconds;

  @Option(names = "--gateway-heap-mb", defaultValue = "512")
  int gatewayHeapMegabytes;

  @Option(names = "--gateway-io-threads", defaultValue = "2", description = "gateway.io.threads.")
  int gatewayIoThreads;

  @Option(
      names = "--hub-threads",
      defaultValue = "0",
      description = "gateway.hub.threads (0: the gateway's default, its available processors).")
  int hubThreads;

  @Option(
      names = "--gateway-jfr",
      description = "Record a JFR profile of the gateway (gateway.jfr in the work directory).")
  boolean gatewayJfr;

  @Option(names = "--heap-mb", defaultValue = "1024", description = "Processor.")
  int processorHeapMegabytes;

  @Option(names = "--broker-heap-mb", defaultValue = "1024")
  int brokerHeapMegabytes;

  @Option(names = "--partitions", defaultValue = "6")
  int partitions;

  @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Processor.")
  long commitIntervalMillis;

  @Option(
      names = "--processor-profile",
      description = "Processor profile (e.g. low-latency); replaces --commit-interval-ms.")
  String processorProfile;

  /** The processor's settings: its profile if one is given, else the commit interval. */
  TargetSettings processorSettings() {
    return processorProfile == null
        ? TargetSettings.commitInterval(commitIntervalMillis)
        : TargetSettings.profile(processorProfile);
  }

  @Option(names = "--max-minutes", defaultValue = "10", description = "Skip what would not fit.")
  int maxMinutes;

  @Option(names = "--work-dir", defaultValue = "bench/target/work-gateway")
  Path workDir;

  @Option(names = "--results-dir", defaultValue = "bench/results")
  Path resultsDir;

  double fanOut() {
    return (double) connections / documents;
  }
}
