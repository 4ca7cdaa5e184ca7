package io.docstream.gateway.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway's meters (Prometheus names {@code docstream_gateway_*}). */
public final class GatewayMetrics {
  /**
   * Bucket bounds of the delivery latency histogram ({@code histogram_quantile} over {@code
   * _bucket{le}}), ms.
   */
  private static final Duration[] DELIVERY_BUCKETS =
      Arrays.stream(
              new long[] {
                1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10000, 30000, 60000
              })
          .mapToObj(Duration::ofMillis)
          .toArray(Duration[]::new);

  private final MeterRegistry registry;
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger documents = new AtomicInteger();
  final AtomicLong backlogBytes = new AtomicLong();
  final Counter snapshots;
  final Counter resumes;
  final Counter resets;
  final Counter uncommittedSnapshots;
  final Counter deltas;
  final Counter acks;
  final Counter slowDrops;
  final Counter slowCloses;
  final Counter silentCloses;
  final Counter badRecords;
  final Timer deliveryLatency;
  final FrameDelay frameDelay;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("docstream.gateway.connections", connections, AtomicInteger::get)
        .description("open WebSocket connections")
        .register(registry);
    Gauge.builder("docstream.gateway.documents", documents, AtomicInteger::get)
        .description("documents watched upstream")
        .register(registry);
    Gauge.builder("docstream.gateway.backlog.bytes", backlogBytes, AtomicLong::get)
        .description("bytes queued for slow connections, all connections together")
        .register(registry);
    snapshots = counter("docstream.gateway.snapshots", "snapshots sent to clients");
    resumes = counter("docstream.gateway.resumes", "subscriptions resumed with since");
    resets = counter("docstream.gateway.resets", "snapshots sent with reset true");
    uncommittedSnapshots =
        counter(
            "docstream.gateway.uncommitted.snapshots",
            "snapshots the committed deltas contradicted, loaded again");
    deltas = counter("docstream.gateway.deltas", "deltas read upstream and fanned out");
    acks = counter("docstream.gateway.acks", "sends acknowledged after commit");
    slowDrops = counter("docstream.gateway.slow.drops", "backlogs dropped for a slow client");
    slowCloses = counter("docstream.gateway.slow.closes", "connections closed with 4008");
    silentCloses =
        counter("docstream.gateway.silent.closes", "connections closed for not answering a ping");
    badRecords = counter("docstream.gateway.bad.records", "unreadable upstream records skipped");
    deliveryLatency =
        Timer.builder("docstream.gateway.delivery.latency")
            .description("from a delta's message timestamp to its fan-out to clients")
            .serviceLevelObjectives(DELIVERY_BUCKETS)
            .register(registry);
    frameDelay = new FrameDelay(registry);
  }

  /** Registers the gauge of frame bytes on their way to event loops. */
  void handOffBytes(java.util.function.Supplier<Number> bytes) {
    Gauge.builder("docstream.gateway.handoff.bytes", bytes)
        .description("frame bytes handed to event loops and not yet queued or written")
        .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  void rejected(int code) {
    registry.counter("docstream.gateway.rejects", "code", Integer.toString(code)).increment();
  }

  void delivered(long messageTimestampMillis) {
    long millis = System.currentTimeMillis() - messageTimestampMillis;
    if (millis >= 0) {
      deliveryLatency.record(millis, TimeUnit.MILLISECONDS);
    }
  }

  public int connections() {
    return connections.get();
  }
}
