package io.docstream.bench;

import io.docstream.topology.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;

/**
 * What the processor's meters cost a stream thread per applied message: {@link
 * ProcessorMetrics#applied} on a Prometheus registry, as the processor records it, one thread, no
 * scrape. Prints ns per message for each trial (a fresh registry, a warm-up, then the measured
 * calls) and their median. Run it on two builds alternately to compare them.
 *
 * <p>Arguments: [trials] [messages per trial]; defaults 5 5000000.
 */
public final class ProcessorMetricsCostMain {
  private ProcessorMetricsCostMain() {}

  public static void main(String[] args) {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long messages = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000;
    double[] nanosPerMessage = new double[trials];
    for (int t = 0; t < trials; t++) {
      ProcessorMetrics metrics =
          new ProcessorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      record(metrics, messages / 2);
      long start = System.nanoTime();
      record(metrics, messages);
      nanosPerMessage[t] = (System.nanoTime() - start) / (double) messages;
      System.out.printf("trial %d: %.1f ns/msg%n", t + 1, nanosPerMessage[t]);
    }
    Arrays.sort(nanosPerMessage);
    System.out.printf("median: %.1f ns/msg%n", nanosPerMessage[trials / 2]);
  }

  /** Sizes and times spread over a few buckets, as 1 KiB documents with one-field updates give. */
  private static void record(ProcessorMetrics metrics, long messages) {
    for (long i = 0; i < messages; i++) {
      metrics.applied(
          (int) (150 + (i & 63)), 1024 + (i & 255), 8_000 + (i & 1023) * 10, 40 + (i & 63));
    }
  }
}
