package io.docstream.bench;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement of a running target, the same for the pass-through and for docstream: a paced
 * warm-up (discarded), a paced latency window, then a saturating throughput window. Every step is
 * bounded in time; a backlog that does not drain is reported, not waited for.
 */
final class Procedure {
  private static final Logger log = LoggerFactory.getLogger(Procedure.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofSeconds(3);

  /**
   * Messages in flight per millisecond of commit interval while saturating: a target can only
   * release what it committed, so a fixed cap would bound it at cap / interval. This allows 200,000
   * msg/s at any interval: above the processor's ceiling on this machine, though the pass-through
   * reaches it at a 1 s interval.
   */
  private static final long MAX_IN_FLIGHT_PER_COMMIT_MILLI = 200;

  private static final long MIN_IN_FLIGHT = 20_000;

  private final BenchOptions options;
  private final WriteMeter writeMeter;

  /**
   * @param writeMeter counts what the target writes over the throughput window
   */
  Procedure(BenchOptions options, WriteMeter writeMeter) {
    this.options = options;
    this.writeMeter = writeMeter;
  }

  static long maxInFlight(BenchOptions options) {
    return Math.max(MIN_IN_FLIGHT, MAX_IN_FLIGHT_PER_COMMIT_MILLI * options.commitIntervalMillis);
  }

  /** Sends one message at a time until one comes out: the real sign that the target is up. */
  static void awaitEndToEnd(LoadGenerator generator, OutputProbe probe, Messages messages)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      generator.paced(messages, 1, Duration.ofSeconds(1));
      if (probe.awaitReceived(1, Duration.ofSeconds(1))) {
        probe.awaitReceived(generator.sent(), DRAIN_TIMEOUT);
        return;
      }
    }
    throw new IllegalStateException("no output within 120 s: the target did not start");
  }

  Measurement run(
      String target,
      int documentBytes,
      long storedSample,
      ChildJvm jvm,
      LoadGenerator generator,
      OutputProbe probe,
      Workload workload,
      Duration warmUp)
      throws InterruptedException {
    StringBuilder notes = new StringBuilder();
    int rate = options.ratePerSecond;
    log.info("{} {} B: warm-up {} s at {}/s", target, documentBytes, warmUp.toSeconds(), rate);
    generator.paced(workload, rate, warmUp);
    drain(generator, probe, "warm-up", notes);

    Duration window = Duration.ofSeconds(options.latencySeconds);
    log.info(
        "{} {} B: latency window {} s at {}/s", target, documentBytes, window.toSeconds(), rate);
    probe.openWindow((int) (rate * window.toSeconds() + 1000));
    long cpuBefore = jvm.cpuMillis();
    long receivedBefore = probe.received();
    generator.paced(workload, rate, window);
    drain(generator, probe, "latency window", notes);
    long cpu = jvm.cpuMillis() - cpuBefore;
    long messages = probe.received() - receivedBefore;
    Latencies.Summary latency = probe.closeWindow().summary();

    Duration saturated = Duration.ofSeconds(options.throughputSeconds);
    log.info("{} {} B: throughput window {} s", target, documentBytes, saturated.toSeconds());
    WriteMeter.Totals writesBefore = writeMeter.totals();
    long receivedBeforeWrites = probe.received();
    generator.saturating(workload, SETTLE, probe::received, maxInFlight(options));
    long startCount = probe.received();
    long startNanos = System.nanoTime();
    generator.saturating(workload, saturated, probe::received, maxInFlight(options));
    double throughput = (probe.received() - startCount) * 1e9 / (System.nanoTime() - startNanos);
    drain(generator, probe, "throughput window", notes);
    Measurement.Writes writes =
        writesPerMessage(writesBefore, probe.received() - receivedBeforeWrites);
    jvm.requireAlive();
    Measurement m =
        new Measurement(
            target,
            documentBytes,
            storedSample,
            throughput,
            latency,
            rate,
            messages == 0 ? 0 : (double) cpu / messages,
            probe.other(),
            writes,
            notes.toString());
    log.info("{}", m);
    return m;
  }

  /**
   * Records and bytes written per message from {@code before} (taken with nothing in flight) to now
   * (drained again), over {@code messages} committed outputs.
   */
  private Measurement.Writes writesPerMessage(WriteMeter.Totals before, long messages)
      throws InterruptedException {
    WriteMeter.Totals written = writeMeter.totals().minus(before);
    return messages == 0
        ? new Measurement.Writes(0, 0)
        : new Measurement.Writes(
            (double) written.records() / messages, (double) written.bytes() / messages);
  }

  private static void drain(
      LoadGenerator generator, OutputProbe probe, String phase, StringBuilder notes)
      throws InterruptedException {
    if (!probe.awaitReceived(generator.sent(), DRAIN_TIMEOUT)) {
      notes.append(phase).append(": backlog not drained within 60 s; ");
    }
  }
}
