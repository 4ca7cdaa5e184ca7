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
   * Commits every 20 ms, and the stream thread's poll waits at most 10 ms for new records (Streams'
   * default is 100 ms), so that a quiet input does not hold back the commit of records already
   * processed. The Streams producer keeps lingering until the commit flushes it: sending as output
   * comes (linger.ms 5) made docstream slower here, its many small changelog batches costing the
   * broker more (docs/design/latency.md). Kafka Streams' record cache stays on: with the cached
   * stores flushed together at a commit ({@code ThreadFlushedStore}) it costs no extra round trip,
   * and it halves the records written per message.
   */
  LOW_LATENCY("low-latency", Map.of("commit.interval.ms", "20", "kafka.poll.ms", "10"));

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
