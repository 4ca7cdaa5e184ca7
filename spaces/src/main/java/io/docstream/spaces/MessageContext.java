package io.docstream.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.random.RandomGenerator;

/** What a space's logic may know about the message it applies, and what it may ask for. */
public interface MessageContext {
  DocKey doc();

  /** The message body (never null). */
  JsonNode body();

  /** The authenticated sender, or null when the producer named none. */
  String actor();

  /** The message timestamp, epoch millis; the only clock logic may read. */
  long timestampMillis();

  /** The message id, or null. */
  String messageId();

  /** A random generator seeded from the message, so replays draw the same numbers. */
  RandomGenerator random();

  /**
   * Schedules a message to this document, delivered through the commands topic {@code delayMillis}
   * after this message's timestamp, with that time as its timestamp. Scheduling a name that is
   * already pending replaces it. Discarded if this message is rejected.
   */
  void schedule(String timerName, long delayMillis, JsonNode body);

  /** Cancels the pending timer of that name, if any. */
  void cancel(String timerName);

  /** True when this message was delivered by a timer of this document. */
  boolean fromTimer();

  /** Builds the exception that rejects this message; use as {@code throw ctx.reject(...)}. */
  default DocstreamException reject(ErrorCode code, String reason) {
    return new DocstreamException(code, reason);
  }

  /** For a custom space's own codes (10000-19999) or registry codes. */
  default DocstreamException reject(int code, String reason) {
    if (!ErrorCode.isSpaceDefined(code) && ErrorCode.of(code).isEmpty()) {
      return new DocstreamException(
          ErrorCode.LOGIC_REJECTED, "unregistered code " + code + ": " + reason);
    }
    return new DocstreamException(code, reason, null);
  }
}
