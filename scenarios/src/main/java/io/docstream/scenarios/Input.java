package io.docstream.scenarios;

import java.nio.charset.StandardCharsets;

/**
 * One record for the commands topic, exactly as a scenario sends it.
 *
 * @param key the record key, or null for a record without key
 * @param value the record value (UTF-8 text; not necessarily JSON)
 * @param timestampMillis the record timestamp
 * @param id the message id the value carries, or null; rejections of records without key are told
 *     apart by it
 * @param doc the document the value names in its {@code doc} field, or null
 */
public record Input(String key, String value, long timestampMillis, String id, String doc) {

  public byte[] keyBytes() {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  public byte[] valueBytes() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    String shown = value.length() <= 120 ? value : value.substring(0, 120) + "...";
    return (key == null ? "(no key)" : key) + " " + shown;
  }
}
