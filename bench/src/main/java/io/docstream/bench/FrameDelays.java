package io.docstream.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own account of how long delta frames spent inside it ({@code
 * docstream_gateway_frame_delay_total}, by stage: from a record leaving its Kafka consumer to the
 * hub thread, the connection's event loop, the socket write): cumulative bucket counts from one
 * scrape, and percentiles over the frames between two scrapes. A percentile is the upper bound of
 * the bucket that holds it, so it is never smaller than the true value.
 *
 * @param buckets per stage, the bucket upper bound in ms (infinity last) to its cumulative count
 */
record FrameDelays(Map<String, TreeMap<Double, Long>> buckets) {
  private static final Pattern BUCKET =
      Pattern.compile("^docstream_gateway_frame_delay_total\\{(.*)\\} ([0-9.eE+-]+)$");
  private static final Pattern STAGE = Pattern.compile("stage=\"([^\"]*)\"");
  private static final Pattern LE = Pattern.compile("le=\"([^\"]*)\"");

  static FrameDelays parse(String metrics) {
    Map<String, TreeMap<Double, Long>> buckets = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = BUCKET.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Matcher stage = STAGE.matcher(m.group(1));
      Matcher le = LE.matcher(m.group(1));
      if (!stage.find() || !le.find()) {
        continue;
      }
      double bound =
          le.group(1).equals("+Inf")
              ? Double.POSITIVE_INFINITY
              : Double.parseDouble(le.group(1)) * 1000;
      buckets
          .computeIfAbsent(stage.group(1), s -> new TreeMap<>())
          .put(bound, (long) Double.parseDouble(m.group(2)));
    }
    return new FrameDelays(buckets);
  }

  /** Percentiles of {@code stage} over the frames recorded since {@code before}. */
  Summary since(FrameDelays before, String stage) {
    TreeMap<Double, Long> now = buckets.getOrDefault(stage, new TreeMap<>());
    TreeMap<Double, Long> then = before.buckets.getOrDefault(stage, new TreeMap<>());
    TreeMap<Double, Long> counts = new TreeMap<>();
    now.forEach((bound, count) -> counts.put(bound, count - then.getOrDefault(bound, 0L)));
    long total = counts.isEmpty() ? 0 : counts.lastEntry().getValue();
    return new Summary(
        total, at(counts, total, 0.50), at(counts, total, 0.99), at(counts, total, 0.999));
  }

  private static double at(TreeMap<Double, Long> cumulative, long total, double quantile) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    for (Map.Entry<Double, Long> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Frames counted and the bucket bounds (ms) that hold their percentiles; NaN when none. */
  record Summary(long frames, double p50, double p99, double p999) {
    static final Summary NONE = new Summary(0, Double.NaN, Double.NaN, Double.NaN);
  }
}
