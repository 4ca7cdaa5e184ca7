package io.docstream.topology;

import io.docstream.serdes.ConfigReader;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A named group of processor settings (key {@code profile}): the value each of its keys takes when
 * the configuration does not set that key itself. Keys are processor keys as in README.md ({@code
 * kafka.*} ones go to Kafka Streams), so an explicit key always wins over the profile.
 */
public enum ProcessorProfile {
  /** Kafka Streams' own defaults with a 100 ms commit interval: the most messages per second. */
  DEFAULT("default", Map.of("commit.interval.ms", "100")),

  /**
   * Deltas visible about five times sooner for about a quarter fewer messages per second (see
   * bench/results/2026-12-04-latency.md): commit every 20 ms; the Streams producer sends output as
   * it comes instead of lingering until the commit flushes it (Streams' exactly-once default is 100
   * ms); and the stream thread's poll waits at most 10 ms for new records, so a quiet partition
   * does not hold back the commit of what was already processed (Streams' default is 100 ms).
   */
  LOW_LATENCY(
      "low-latency",
      Map.of(
          "commit.interval.ms", "20",
          "kafka.producer.linger.ms", "5",
          "kafka.poll.ms", "10"));

  private final String settingValue;
  private final Map<String, String> settings;

  ProcessorProfile(String settingValue, Map<String, String> settings) {
    this.settingValue = settingValue;
    this.settings = settings;
  }

  /** The profile named by key {@code profile} ({@code default} when unset). */
  public static ProcessorProfile from(ConfigReader c) {
    String name = c.string("profile", DEFAULT.settingValue).toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(p -> p.settingValue.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                ConfigReader.invalid(
                    "profile",
                    "must be one of "
                        + Arrays.stream(values())
                            .map(p -> p.settingValue)
                            .collect(Collectors.joining(", "))
                        + ", got '"
                        + name
                        + "'"));
  }

  /** The value of {@code key} as this profile sets it, or null when it leaves it alone. */
  public String setting(String key) {
    return settings.get(key);
  }

  /** Every key this profile sets, with its value. */
  public Map<String, String> settings() {
    return settings;
  }

  /** The {@code profile} value naming this profile. */
  public String settingValue() {
    return settingValue;
  }
}
