package io.docstream.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What one message asked of its document's timers, collected by {@link Invocation} and carried out
 * by the processor only when the message commits. There is at most one request per timer name in an
 * invocation: the last call for a name wins.
 */
public sealed interface TimerRequest permits TimerRequest.Schedule, TimerRequest.Cancel {
  /** The timer name, 1-100 characters, unique per document. */
  String name();

  /**
   * Deliver {@code body} to this document at {@code fireAtMillis} (the scheduling message's
   * timestamp plus the delay), replacing any pending timer of the same name.
   */
  record Schedule(String name, long fireAtMillis, JsonNode body) implements TimerRequest {
    public Schedule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(body, "body");
    }
  }

  /** Drop the pending timer of this name, if any. */
  record Cancel(String name) implements TimerRequest {
    public Cancel {
      Objects.requireNonNull(name, "name");
    }
  }
}
