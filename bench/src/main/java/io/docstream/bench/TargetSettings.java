package io.docstream.bench;

import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorProfile;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one pass-through / docstream pair runs with: the processor's settings and the Kafka Streams
 * settings that the pass-through gets so that both commit and send alike.
 *
 * @param profile the processor profile, {@code commit.interval.ms=<ms>} when the profile is not
 *     set, or empty for the interval of {@code --commit-interval-ms}
 * @param processor processor keys written to its properties file
 * @param streams Kafka Streams settings of the pass-through (the profile's, prefixes removed)
 */
record TargetSettings(String profile, Map<String, String> processor, Map<String, String> streams) {
  private static final String COMMIT_INTERVAL = "commit.interval.ms";
  private static final String KAFKA_PREFIX = "kafka.";

  static TargetSettings commitInterval(long millis) {
    Map<String, String> commit = Map.of(COMMIT_INTERVAL, Long.toString(millis));
    return new TargetSettings("", commit, commit);
  }

  /**
   * A {@code --profiles} entry: a profile name, or {@code commit.interval.ms=<ms>} for that
   * interval and every other setting at its default (the state before profiles, for a before/after
   * pair).
   */
  static TargetSettings parse(String entry) {
    String prefix = COMMIT_INTERVAL + "=";
    if (entry.startsWith(prefix)) {
      TargetSettings bare = commitInterval(Long.parseLong(entry.substring(prefix.length())));
      return new TargetSettings(entry, bare.processor(), bare.streams());
    }
    return profile(entry);
  }

  /** The processor runs with {@code profile=<name>}; the pass-through with what it sets. */
  static TargetSettings profile(String name) {
    ProcessorProfile profile = ProcessorProfile.from(new ConfigReader(Map.of("profile", name)));
    Map<String, String> streams = new TreeMap<>();
    profile
        .settings()
        .forEach(
            (k, v) ->
                streams.put(
                    k.startsWith(KAFKA_PREFIX) ? k.substring(KAFKA_PREFIX.length()) : k, v));
    return new TargetSettings(profile.settingValue(), Map.of("profile", name), streams);
  }

  /** These settings with Kafka Streams {@code settings} added to both targets. */
  TargetSettings with(Map<String, String> settings) {
    Map<String, String> processorAll = new TreeMap<>(processor);
    Map<String, String> streamsAll = new TreeMap<>(streams);
    settings.forEach(
        (k, v) -> {
          processorAll.put(KAFKA_PREFIX + k, v);
          streamsAll.put(k, v);
        });
    return new TargetSettings(profile, processorAll, streamsAll);
  }

  long commitIntervalMillis() {
    return Long.parseLong(streams.get(COMMIT_INTERVAL));
  }

  /** Appended to target names in the report, e.g. {@code " (low-latency)"}. */
  String label() {
    return profile.isEmpty() ? "" : " (" + profile + ")";
  }

  /** Appended to topic names, application ids and directories, so each pair starts afresh. */
  String suffix() {
    return profile.isEmpty() ? "" : "-" + profile.replaceAll("[^a-z0-9-]", "-");
  }
}
