package io.docstream.serdes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Settings from a properties file overridden by environment variables: {@code DOCSTREAM_} plus the
 * key upper-cased with dots and dashes as underscores ({@code max.message.bytes} is {@code
 * DOCSTREAM_MAX_MESSAGE_BYTES}). Every bad value fails with the key's name and the allowed range.
 */
public final class ConfigReader {
  private static final String ENV_PREFIX = "DOCSTREAM_";

  private final Map<String, String> values;
  private final Set<String> readKeys = new HashSet<>();
  private final Set<String> readPrefixes = new HashSet<>();

  public ConfigReader(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  /** Reads {@code file} (may be null) and applies the environment on top. */
  public static ConfigReader load(Path file, Map<String, String> env) {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        props.load(in);
      } catch (IOException e) {
        throw new DocstreamException(
            ErrorCode.CONFIG_UNREADABLE, "cannot read config file " + file + ": " + e, e);
      }
      props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k).trim()));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX)) {
            values.put(keyOf(name.substring(ENV_PREFIX.length())), value.trim());
          }
        });
    return new ConfigReader(values);
  }

  static String keyOf(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public Map<String, String> all() {
    return values;
  }

  /**
   * The keys that no accessor has asked for so far, neither by name nor under a prefix: after a
   * component built its config from this reader, these are keys it does not know (e.g. typos).
   */
  public Set<String> unreadKeys() {
    Set<String> out = new TreeSet<>();
    for (String key : values.keySet()) {
      if (!readKeys.contains(key) && readPrefixes.stream().noneMatch(key::startsWith)) {
        out.add(key);
      }
    }
    return out;
  }

  /** The entries under {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    readPrefixes.add(prefix);
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  public String string(String key, String fallback) {
    readKeys.add(key);
    String v = values.get(key);
    return v == null || v.isEmpty() ? fallback : v;
  }

  public String required(String key) {
    readKeys.add(key);
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      throw invalid(key, "is required");
    }
    return v;
  }

  public long longValue(String key, long fallback, long min, long max) {
    readKeys.add(key);
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(v);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw invalid(key, "must be an integer in [" + min + ", " + max + "], got '" + v + "'");
  }

  public int intValue(String key, int fallback, int min, int max) {
    return (int) longValue(key, fallback, min, max);
  }

  public static DocstreamException invalid(String key, String reason) {
    return new DocstreamException(ErrorCode.CONFIG_INVALID, key + " " + reason);
  }
}
