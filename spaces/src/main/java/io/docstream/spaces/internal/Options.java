package io.docstream.spaces.internal;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a space's options strictly: unknown names and out-of-range values fail at start. */
public final class Options {
  private final Map<String, String> options;

  private Options(Map<String, String> options) {
    this.options = options;
  }

  /**
   * Wraps {@code options}, refusing any name not in {@code known} with {@link
   * ErrorCode#CONFIG_INVALID}.
   */
  public static Options of(Map<String, String> options, Set<String> known) {
    Set<String> unknown = new TreeSet<>(options.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new DocstreamException(
          ErrorCode.CONFIG_INVALID, "unknown option(s) " + unknown + "; allowed: " + known);
    }
    return new Options(options);
  }

  /** The option as a long in {@code [min, max]}, or {@code fallback} when it is not set. */
  public long longValue(String name, long fallback, long min, long max) {
    String raw = options.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new DocstreamException(
        ErrorCode.CONFIG_INVALID,
        name + " must be an integer in [" + min + ", " + max + "], was '" + raw + "'");
  }

  /** The option as an int in {@code [min, max]}, or {@code fallback} when it is not set. */
  public int intValue(String name, int fallback, int min, int max) {
    return (int) longValue(name, fallback, min, max);
  }
}
