package io.docstream.bench;

import java.util.Arrays;

/** End-to-end latency samples of one window, in milliseconds, with exact percentiles. */
final class Latencies {
  private final long[] samples;
  private int count;
  private long overflow;

  Latencies(int capacity) {
    samples = new long[capacity];
  }

  synchronized void add(long millis) {
    if (count < samples.length) {
      samples[count++] = millis;
    } else {
      overflow++;
    }
  }

  synchronized Summary summary() {
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return new Summary(
        count, overflow, at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999), at(sorted, 1.0));
  }

  private static long at(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Nearest-rank percentiles; {@code overflow} samples arrived after the buffer was full. */
  record Summary(int samples, long overflow, long p50, long p99, long p999, long max) {}
}
