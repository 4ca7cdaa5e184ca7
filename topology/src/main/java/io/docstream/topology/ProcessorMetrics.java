package io.docstream.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processor's Micrometer meters (exposed in Prometheus format at {@code /metrics}). Sizes and
 * times are histograms with fixed buckets ({@code _bucket{le}}, {@code _count}, {@code _sum}):
 * {@code histogram_quantile} gives any percentile over any interval, summed over instances; a
 * record costs a bucket search and an increment where client-side percentiles updated three
 * sketches.
 */
public final class ProcessorMetrics {
  private static final Duration[] AGE_BUCKETS =
      Arrays.stream(
              new long[] {
                1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10000, 30000, 60000
              })
          .mapToObj(Duration::ofMillis)
          .toArray(Duration[]::new);

  private static final Duration[] PROCESSING_BUCKETS =
      Arrays.stream(
              new long[] {
                10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1000000
              })
          .mapToObj(micros -> Duration.ofNanos(micros * 1000))
          .toArray(Duration[]::new);

  private static final double[] BYTES_BUCKETS = {
    64, 128, 256, 512, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20,
    64 << 20, 256 << 20
  };

  private final MeterRegistry registry;
  private final Counter applied;
  private final Counter rerouted;
  private final Counter timersFired;
  private final Counter logLinesSuppressed;
  private final DistributionSummary deltaBytes;
  private final DistributionSummary documentBytes;
  private final Timer processing;
  private final Timer messageToDelta;
  private final Map<Integer, Counter> rejectedByCode = new ConcurrentHashMap<>();

  public ProcessorMetrics(MeterRegistry registry) {
    this.registry = registry;
    applied =
        Counter.builder("docstream.messages.applied")
            .description("Messages applied to a document")
            .register(registry);
    rerouted =
        Counter.builder("docstream.messages.rerouted")
            .description("Records re-keyed or moved to their document's partition")
            .register(registry);
    timersFired =
        Counter.builder("docstream.timers.fired")
            .description("Durable timers delivered as messages")
            .register(registry);
    logLinesSuppressed =
        Counter.builder("docstream.log.lines.suppressed")
            .description("Rejection log lines not written because their code hit its rate limit")
            .register(registry);
    deltaBytes =
        DistributionSummary.builder("docstream.delta.bytes")
            .description("Serialized size of each delta")
            .baseUnit("bytes")
            .serviceLevelObjectives(BYTES_BUCKETS)
            .register(registry);
    documentBytes =
        DistributionSummary.builder("docstream.document.bytes")
            .description("Stored size of each document after a commit")
            .baseUnit("bytes")
            .serviceLevelObjectives(BYTES_BUCKETS)
            .register(registry);
    processing =
        Timer.builder("docstream.processing")
            .description("Time to apply one message, from parse to forwarded delta")
            .serviceLevelObjectives(PROCESSING_BUCKETS)
            .register(registry);
    messageToDelta =
        Timer.builder("docstream.message.to.delta")
            .description("From the message timestamp to its delta being produced (commit follows)")
            .serviceLevelObjectives(AGE_BUCKETS)
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void applied(
      int deltaSize, long storedBytes, long processingNanos, long messageAgeMillis) {
    applied.increment();
    deltaBytes.record(deltaSize);
    documentBytes.record(storedBytes);
    processing.record(processingNanos, TimeUnit.NANOSECONDS);
    if (messageAgeMillis >= 0) {
      messageToDelta.record(messageAgeMillis, TimeUnit.MILLISECONDS);
    }
  }

  public void rejected(int code) {
    rejectedByCode
        .computeIfAbsent(
            code,
            c ->
                Counter.builder("docstream.messages.rejected")
                    .description("Messages rejected, by error code")
                    .tag("code", Integer.toString(c))
                    .register(registry))
        .increment();
  }

  public void rerouted() {
    rerouted.increment();
  }

  public void logLineSuppressed() {
    logLinesSuppressed.increment();
  }

  public void timerFired() {
    timersFired.increment();
  }
}
