package io.docstream.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The processor's Micrometer meters (exposed in Prometheus format at {@code /metrics}). */
public final class ProcessorMetrics {
  private static final double[] PERCENTILES = {0.5, 0.99, 0.999};

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
            .publishPercentiles(PERCENTILES)
            .register(registry);
    documentBytes =
        DistributionSummary.builder("docstream.document.bytes")
            .description("Stored size of each document after a commit")
            .baseUnit("bytes")
            .publishPercentiles(PERCENTILES)
            .register(registry);
    processing =
        Timer.builder("docstream.processing")
            .description("Time to apply one message, from parse to forwarded delta")
            .publishPercentiles(PERCENTILES)
            .register(registry);
    messageToDelta =
        Timer.builder("docstream.message.to.delta")
            .description("From the message timestamp to its delta being produced (commit follows)")
            .publishPercentiles(PERCENTILES)
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
    processing.record(Duration.ofNanos(processingNanos));
    if (messageAgeMillis >= 0) {
      messageToDelta.record(Duration.ofMillis(messageAgeMillis));
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
