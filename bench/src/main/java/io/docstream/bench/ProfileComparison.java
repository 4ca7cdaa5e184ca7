package io.docstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's per-profile section: each docstream measurement against the pass-through that ran
 * with the same Kafka Streams settings and paced rate, and each profile's saturated rate against
 * the first profile's (the throughput cost of a profile).
 */
final class ProfileComparison {
  /** One pass-through / docstream pair run with the same settings. */
  record Pair(TargetSettings settings, Measurement passThrough, List<Measurement> docstream) {}

  private final List<Pair> pairs = new ArrayList<>();

  void add(Pair pair) {
    pairs.add(pair);
  }

  String markdown() {
    if (pairs.stream().allMatch(p -> p.settings().profile().isEmpty())) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## Latency against the pass-through, per profile\n\n")
        .append(
            "Each profile's docstream measurement next to the pass-through run with the same Kafka"
                + " Streams settings (those in the settings column) at the same paced rate. Ratio:"
                + " docstream p99 / pass-through p99. Cost: docstream's saturated rate against the"
                + " first profile's.\n\n")
        .append(
            "| profile | settings | document | paced msg/s (of docstream max) | pass-through p50 / p99 / p99.9 ms | docstream p50 / p99 / p99.9 ms | p99 ratio | pass-through max msg/s | docstream max msg/s | cost |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Double firstMax = null;
    for (Pair pair : pairs) {
      for (Measurement d : pair.docstream()) {
        if (firstMax == null) {
          firstMax = d.throughputPerSecond();
        }
        Latencies.Summary pt = pair.passThrough().latency();
        Latencies.Summary ds = d.latency();
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %,d B | %,d (%.0f%%) | %d / %d / %d | %d / %d / %d | %s | %,.0f | %,.0f | %+.0f%% |%n",
                pair.settings().profile(),
                settings(pair.settings()),
                d.documentBytes(),
                d.pacedPerSecond(),
                100.0 * d.pacedPerSecond() / d.throughputPerSecond(),
                pt.p50(),
                pt.p99(),
                pt.p999(),
                ds.p50(),
                ds.p99(),
                ds.p999(),
                d.pacedPerSecond() == pair.passThrough().pacedPerSecond()
                    ? String.format(Locale.ROOT, "%.2f", (double) ds.p99() / pt.p99())
                    : "- (pass-through paced at " + pair.passThrough().pacedPerSecond() + "/s)",
                pair.passThrough().throughputPerSecond(),
                d.throughputPerSecond(),
                100.0 * (d.throughputPerSecond() / firstMax - 1)));
      }
    }
    return md.toString();
  }

  private static String settings(TargetSettings settings) {
    List<String> out = new ArrayList<>();
    settings.streams().forEach((k, v) -> out.add("`" + k + "=" + v + "`"));
    return String.join(" ", out);
  }
}
