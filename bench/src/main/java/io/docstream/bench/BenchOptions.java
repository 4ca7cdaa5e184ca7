package io.docstream.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The knobs of a bench run; the defaults keep a whole run under ten minutes on two cores. */
final class BenchOptions {
  @Option(
      names = "--rate",
      defaultValue = "2000",
      description =
          "Paced messages/s for warm-up and latency (default ${DEFAULT-VALUE}); with"
              + " --rate-fraction, the rate of the first warm-up only.")
  int ratePerSecond;

  @Option(
      names = "--rate-fraction",
      description =
          "Pace the latency windows at this share of docstream's saturated rate in the same run"
              + " (e.g. 0.15): per pair, docstream's throughput window runs first, then its latency"
              + " window at the share, then the pass-through at the same rate (the rate of the"
              + " pair's first document size).")
  Double rateFraction;

  @Option(names = "--warm-up-seconds", defaultValue = "40", description = "First target in a JVM.")
  int warmUpSeconds;

  @Option(
      names = "--short-warm-up-seconds",
      defaultValue = "10",
      description = "Later targets in an already warm JVM.")
  int shortWarmUpSeconds;

  @Option(names = "--latency-seconds", defaultValue = "30")
  int latencySeconds;

  @Option(names = "--throughput-seconds", defaultValue = "15")
  int throughputSeconds;

  @Option(
      names = "--settle-seconds",
      defaultValue = "20",
      description =
          "Saturating, discarded, right before each throughput window, so that it starts at the"
              + " saturated rate with its code compiled for it (a paced warm-up leaves the JIT"
              + " compiling there; 3 until 2026-12-07).")
  int settleSeconds;

  @Option(names = "--documents", defaultValue = "24", description = "Documents per size.")
  int documents;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "1024,102400,1048576",
      description = "Document sizes in bytes.")
  List<Integer> documentBytes;

  @Option(names = "--partitions", defaultValue = "6")
  int partitions;

  @Option(
      names = "--stream-threads",
      defaultValue = "1",
      description =
          "Stream threads of both targets (default ${DEFAULT-VALUE}, the processor's default).")
  int streamThreads;

  @Option(names = "--heap-mb", defaultValue = "1024", description = "Processor / pass-through.")
  int heapMegabytes;

  @Option(names = "--broker-heap-mb", defaultValue = "1024")
  int brokerHeapMegabytes;

  @Option(
      names = "--broker-c1-only",
      description =
          "Run the broker with the C1 compiler only, as the tests do (runs before 2026-12-06 did;"
              + " by default it has C2, as a deployed broker has).")
  boolean brokerC1Only;

  @Option(names = "--commit-interval-ms", defaultValue = "100")
  long commitIntervalMillis;

  @Option(
      names = "--processor-setting",
      description =
          "key=value added to the processor's properties (repeatable), e.g. kafka.batch.size=65536.")
  Map<String, String> processorSettings = new TreeMap<>();

  @Option(
      names = "--pass-through-stores",
      defaultValue = "0",
      description =
          "Logged, uncached RocksDB stores the pass-through writes each message into before"
              + " copying it (default ${DEFAULT-VALUE}: a plain copy); 2 makes it write three"
              + " records a message, as docstream does.")
  int passThroughStores;

  @Option(
      names = "--streams-setting",
      description =
          "Kafka Streams key=value (repeatable) for both targets of every pair: the pass-through"
              + " gets it as is, the processor as kafka.<key>; e.g. producer.linger.ms=5.")
  Map<String, String> streamsSettings = new TreeMap<>();

  @Option(
      names = "--profiles",
      split = ",",
      description =
          "Processor profiles (e.g. default,low-latency): per profile the pass-through with the"
              + " profile's Kafka Streams settings, then docstream with profile=<name>; an entry"
              + " commit.interval.ms=<ms> runs both without a profile at that interval. Replaces"
              + " --commit-interval-ms.")
  List<String> profiles = List.of();

  @Option(
      names = "--processor-jfr",
      description = "Record a JFR profile of each processor JVM into the work directory.")
  boolean processorJfr;

  @Option(
      names = "--processor-jvm-option",
      description =
          "Added to each processor JVM's command line (repeatable), e.g. -Xlog:gc:file=gc.log or"
              + " -agentpath:<libasyncProfiler.so>=start,event=wall,file=<out>.")
  List<String> processorJvmOptions = new ArrayList<>();

  @Option(names = "--max-minutes", defaultValue = "10", description = "Skip what would not fit.")
  int maxMinutes;

  @Option(names = "--work-dir", defaultValue = "bench/target/work")
  Path workDir;

  @Option(names = "--results-dir", defaultValue = "bench/results")
  Path resultsDir;

  /** A generous estimate of one target's measurement, to decide whether it still fits. */
  long estimateSeconds(boolean firstInJvm) {
    return (firstInJvm ? warmUpSeconds : shortWarmUpSeconds)
        + latencySeconds
        + settleSeconds
        + throughputSeconds
        + 45;
  }
}
