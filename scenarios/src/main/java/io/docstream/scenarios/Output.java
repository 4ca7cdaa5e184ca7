package io.docstream.scenarios;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record the topology wrote to {@code deltas} or {@code rejections}.
 *
 * @param kind which topic
 * @param key the record key, or null
 * @param value the record value as JSON
 */
public record Output(Kind kind, String key, JsonNode value) {
  /** The message id timers use: {@code timer:<name>:<fire time>}. */
  public static final String TIMER_ID_PREFIX = "timer:";

  public enum Kind {
    DELTA,
    REJECTION
  }

  public boolean isRejection() {
    return kind == Kind.REJECTION;
  }

  /** The message id the output answers: a rejection's id or a delta's first id; null if none. */
  public String id() {
    if (kind == Kind.REJECTION) {
      JsonNode id = value.get("id");
      return id == null || !id.isTextual() ? null : id.textValue();
    }
    JsonNode ids = value.path("ids");
    return ids.isArray() && !ids.isEmpty() ? ids.get(0).asText() : null;
  }

  /** True for the outcome of a message a timer delivered, false for one a producer sent. */
  public boolean fromTimer() {
    String id = id();
    return id != null && id.startsWith(TIMER_ID_PREFIX);
  }

  @Override
  public String toString() {
    return kind + " " + (key == null ? "(no key)" : key) + " " + value;
  }
}
