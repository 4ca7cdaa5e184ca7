package io.docstream.gateway.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long a delta frame spends inside the gateway, from the moment its record left the upstream
 * consumer (the hub took the poll's batch) to three points on its way: its hub thread took the
 * batch ({@code hub}, counted once per batch and hub thread), an event loop took its share of the
 * frames ({@code loop}, once per batch and event loop), and the frame was written to the socket
 * ({@code socket}, once per frame). Everything after the socket write is the network's and the
 * client's.
 *
 * <p>Counted per frame on the event loops, so kept cheap: fixed buckets, fine below 50 ms, each a
 * {@link LongAdder}, exposed as cumulative counters {@code
 * docstream_gateway_frame_delay_total{stage,le}} (seconds, as Prometheus histogram buckets are:
 * {@code histogram_quantile} reads them), so that percentiles over any interval come from two
 * scrapes.
 */
final class FrameDelay {
  /** Bucket upper bounds, ms; a last bucket takes the rest. */
  static final double[] BOUNDS_MILLIS = {
    0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000,
    2000, 5000
  };

  private static final long[] BOUNDS_NANOS =
      Arrays.stream(BOUNDS_MILLIS).mapToLong(ms -> (long) (ms * 1_000_000)).toArray();

  final Stage hub;
  final Stage loop;
  final Stage socket;

  FrameDelay(MeterRegistry registry) {
    hub = new Stage(registry, "hub");
    loop = new Stage(registry, "loop");
    socket = new Stage(registry, "socket");
  }

  /** One stage's buckets. */
  static final class Stage {
    private final LongAdder[] counts = new LongAdder[BOUNDS_NANOS.length + 1];

    private Stage(MeterRegistry registry, String stage) {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
      for (int i = 0; i < counts.length; i++) {
        int bucket = i;
        String le =
            i < BOUNDS_MILLIS.length
                ? BigDecimal.valueOf(BOUNDS_MILLIS[i])
                    .movePointLeft(3)
                    .stripTrailingZeros()
                    .toPlainString()
                : "+Inf";
        FunctionCounter.builder("docstream.gateway.frame.delay", counts, c -> cumulative(c, bucket))
            .description("delta frames by time from leaving the upstream consumer to a stage")
            .tags("stage", stage, "le", le)
            .register(registry);
      }
    }

    private static double cumulative(LongAdder[] counts, int upTo) {
      long sum = 0;
      for (int i = 0; i <= upTo; i++) {
        sum += counts[i].sum();
      }
      return sum;
    }

    /** Counts {@code frames} that reached this stage now, unless {@code readNanos} is 0. */
    void since(long readNanos, int frames) {
      if (readNanos != 0) {
        add(System.nanoTime() - readNanos, frames);
      }
    }

    /**
     * Counts one frame that reached this stage at {@code nowNanos}, unless {@code readNanos} is 0.
     */
    void at(long nowNanos, long readNanos) {
      if (readNanos != 0) {
        add(nowNanos - readNanos, 1);
      }
    }

    private void add(long nanos, int frames) {
      int i = Arrays.binarySearch(BOUNDS_NANOS, nanos);
      counts[i >= 0 ? i : -i - 1].add(frames);
    }
  }
}
