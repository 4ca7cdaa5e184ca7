package io.docstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement of a running target, the same for the pass-through and for docstream: a paced
 * warm-up (discarded), a paced latency window and a saturating throughput window, in that order at
 * a fixed rate, or throughput first when the paced rate is a share of the saturated one. Every step
 * is bounded in time; a backlog that does not drain is reported, not waited for.
 */
final class Procedure {
  private static final Logger log = LoggerFactory.getLogger(Procedure.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Messages in flight per millisecond of commit interval while saturating. A target releases only
   * what it committed, and a bigger commit takes longer, so the rate a target reaches grows with
   * the messages in flight until the target itself is the limit: with 20,000 (the cap until
   * 2026-12-06) the pass-through stopped at ~130k msg/s, with 100,000 and 500,000 it reached
   * 383k-431k (bench/results/2026-12-06-in-flight-cap.md). 200,000 at the default interval is in
   * that flat range and drains in seconds at docstream's rate.
   */
  private static final long MAX_IN_FLIGHT_PER_COMMIT_MILLI = 2_000;

  private static final long MIN_IN_FLIGHT = 200_000;

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

  /**
   * Warm-up, latency window, then throughput window, all paced at {@code rate} msg/s.
   *
   * @param rate the paced rate of the warm-up and the latency window
   */
  Measurement run(
      String target,
      int documentBytes,
      long storedSample,
      ChildJvm jvm,
      LoadGenerator generator,
      OutputProbe probe,
      Workload workload,
      Duration warmUp,
      int rate)
      throws InterruptedException {
    StringBuilder notes = new StringBuilder();
    warmUp(target, documentBytes, generator, probe, workload, warmUp, rate, notes);
    Paced paced =
        latencyWindow(target, documentBytes, jvm, generator, probe, workload, rate, notes);
    Saturated saturated =
        throughputWindow(target, documentBytes, jvm, generator, probe, workload, notes);
    return measurement(target, documentBytes, storedSample, jvm, probe, paced, saturated, notes);
  }

  /**
   * Warm-up at {@code warmUpRate}, throughput window, then a second warm-up ({@code
   * --short-warm-up-seconds}) and the latency window at {@code fraction} of the saturated rate just
   * measured: the paced rate is a share of the target's own maximum in this run.
   */
  Measurement runAtFraction(
      String target,
      int documentBytes,
      long storedSample,
      ChildJvm jvm,
      LoadGenerator generator,
      OutputProbe probe,
      Workload workload,
      Duration warmUp,
      int warmUpRate,
      double fraction)
      throws InterruptedException {
    StringBuilder notes = new StringBuilder();
    warmUp(target, documentBytes, generator, probe, workload, warmUp, warmUpRate, notes);
    Saturated saturated =
        throughputWindow(target, documentBytes, jvm, generator, probe, workload, notes);
    int rate = Math.max(1, (int) Math.round(fraction * saturated.perSecond()));
    warmUp(
        target,
        documentBytes,
        generator,
        probe,
        workload,
        Duration.ofSeconds(options.shortWarmUpSeconds),
        rate,
        notes);
    Paced paced =
        latencyWindow(target, documentBytes, jvm, generator, probe, workload, rate, notes);
    return measurement(target, documentBytes, storedSample, jvm, probe, paced, saturated, notes);
  }

  private record Paced(
      int perSecond,
      Latencies.Summary latency,
      double cpuMillisPerMessage,
      StreamsJmx.Commits commits) {}

  /** The target's Kafka metrics over JMX, or null (logged) when the bench cannot attach. */
  private static StreamsJmx attach(ChildJvm jvm) {
    try {
      return StreamsJmx.attach(jvm.pid());
    } catch (Exception e) {
      log.warn("no JMX metrics from {}: {}", jvm, e.toString());
      return null;
    }
  }

  private static Map<String, Double> totals(StreamsJmx jmx) {
    try {
      return jmx == null ? null : jmx.totals();
    } catch (Exception e) {
      log.warn("JMX metrics not read: {}", e.toString());
      return null;
    }
  }

  private static void close(StreamsJmx jmx) {
    try {
      if (jmx != null) {
        jmx.close();
      }
    } catch (IOException e) {
      log.debug("JMX connector close", e);
    }
  }

  private record Saturated(double perSecond, Measurement.Writes writes, Saturation cores) {}

  private void warmUp(
      String target,
      int documentBytes,
      LoadGenerator generator,
      OutputProbe probe,
      Workload workload,
      Duration warmUp,
      int rate,
      StringBuilder notes)
      throws InterruptedException {
    log.info("{} {} B: warm-up {} s at {}/s", target, documentBytes, warmUp.toSeconds(), rate);
    generator.paced(workload, rate, warmUp);
    drain(generator, probe, "warm-up", notes);
  }

  private Paced latencyWindow(
      String target,
      int documentBytes,
      ChildJvm jvm,
      LoadGenerator generator,
      OutputProbe probe,
      Workload workload,
      int rate,
      StringBuilder notes)
      throws InterruptedException {
    Duration window = Duration.ofSeconds(options.latencySeconds);
    log.info(
        "{} {} B: latency window {} s at {}/s", target, documentBytes, window.toSeconds(), rate);
    probe.openWindow((int) (rate * window.toSeconds() + 1000));
    StreamsJmx jmx = attach(jvm);
    Map<String, Double> commitsBefore = totals(jmx);
    long cpuBefore = jvm.cpuMillis();
    long receivedBefore = probe.received();
    generator.paced(workload, rate, window);
    drain(generator, probe, "latency window", notes);
    long cpu = jvm.cpuMillis() - cpuBefore;
    long messages = probe.received() - receivedBefore;
    Map<String, Double> commitsAfter = totals(jmx);
    close(jmx);
    return new Paced(
        rate,
        probe.closeWindow().summary(),
        messages == 0 ? 0 : (double) cpu / messages,
        commitsBefore == null || commitsAfter == null
            ? null
            : StreamsJmx.Commits.between(commitsBefore, commitsAfter));
  }

  private Saturated throughputWindow(
      String target,
      int documentBytes,
      ChildJvm jvm,
      LoadGenerator generator,
      OutputProbe probe,
      Workload workload,
      StringBuilder notes)
      throws InterruptedException {
    Duration saturated = Duration.ofSeconds(options.throughputSeconds);
    log.info("{} {} B: throughput window {} s", target, documentBytes, saturated.toSeconds());
    WriteMeter.Totals writesBefore = writeMeter.totals();
    long receivedBeforeWrites = probe.received();
    generator.saturating(
        workload, Duration.ofSeconds(options.settleSeconds), probe::received, maxInFlight(options));
    StreamsJmx jmx = attach(jvm);
    Saturation.Sample coresBefore = cpu(jvm, jmx);
    long startCount = probe.received();
    long startNanos = System.nanoTime();
    generator.saturating(workload, saturated, probe::received, maxInFlight(options));
    double throughput = (probe.received() - startCount) * 1e9 / (System.nanoTime() - startNanos);
    Saturation cores =
        Saturation.between(coresBefore, cpu(jvm, jmx), Runtime.getRuntime().availableProcessors());
    close(jmx);
    drain(generator, probe, "throughput window", notes);
    return new Saturated(
        throughput, writesPerMessage(writesBefore, probe.received() - receivedBeforeWrites), cores);
  }

  /** CPU times now; the stream threads' and the JIT's are -1 without JMX. */
  private static Saturation.Sample cpu(ChildJvm jvm, StreamsJmx jmx) {
    long streamThreadNanos = -1;
    long compilationMillis = -1;
    if (jmx != null) {
      try {
        streamThreadNanos = jmx.streamThreadCpuNanos();
        compilationMillis = jmx.compilationMillis();
      } catch (IOException | RuntimeException e) {
        log.warn("no thread CPU or compilation times from {}: {}", jvm, e.toString());
      }
    }
    MachineCpu machine;
    try {
      machine = MachineCpu.now();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Saturation.Sample(
        System.nanoTime(), streamThreadNanos, compilationMillis, jvm.cpuMillis(), machine);
  }

  private Measurement measurement(
      String target,
      int documentBytes,
      long storedSample,
      ChildJvm jvm,
      OutputProbe probe,
      Paced paced,
      Saturated saturated,
      StringBuilder notes) {
    jvm.requireAlive();
    Measurement m =
        new Measurement(
            target,
            documentBytes,
            storedSample,
            saturated.perSecond(),
            paced.latency(),
            paced.perSecond(),
            paced.cpuMillisPerMessage(),
            probe.other(),
            saturated.writes(),
            saturated.cores(),
            paced.commits(),
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
