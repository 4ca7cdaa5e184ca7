package io.docstream.gateway.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a delta frame spends inside the gateway, from the moment its record left the upstream
 * consumer (the hub took the poll's batch) to three points on its way: its hub thread took the
 * batch ({@code hub}, once per batch and hub thread), an event loop took its share of the frames
 * ({@code loop}, once per batch and event loop), and the frame was written to the socket ({@code
 * socket}, once per frame). Everything after the socket write is the network's and the client's.
 * Buckets are fixed and fine below 50 ms, so that percentiles over any interval can be taken from
 * two scrapes of {@code docstream_gateway_frame_delay_seconds_bucket}.
 */
final class FrameDelay {
  /** Bucket bounds, ms. */
  static final double[] BOUNDS_MILLIS = {
    0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000,
    2000, 5000
  };

  final Timer hub;
  final Timer loop;
  final Timer socket;

  FrameDelay(MeterRegistry registry) {
    hub = timer(registry, "hub");
    loop = timer(registry, "loop");
    socket = timer(registry, "socket");
  }

  private static Timer timer(MeterRegistry registry, String stage) {
    Duration[] slos = new Duration[BOUNDS_MILLIS.length];
    for (int i = 0; i < slos.length; i++) {
      slos[i] = Duration.ofNanos((long) (BOUNDS_MILLIS[i] * 1_000_000));
    }
    return Timer.builder("docstream.gateway.frame.delay")
        .description("from a delta's record leaving the upstream consumer to a stage of its frame")
        .tag("stage", stage)
        .serviceLevelObjectives(slos)
        .register(registry);
  }

  /** Records the time since {@code readNanos}, unless it is 0 (a frame not from upstream). */
  static void since(Timer stage, long readNanos) {
    if (readNanos != 0) {
      stage.record(System.nanoTime() - readNanos, TimeUnit.NANOSECONDS);
    }
  }
}
