package io.docstream.spaces;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The {@link MessageContext} of one message applied once: the processor creates one per message,
 * runs the space's logic with it and, if the message commits, carries out {@link #timerRequests()}.
 * Not thread-safe; not reusable across messages.
 *
 * <p>{@link #random()} is a {@link SplittableRandom} seeded with {@code seed}, so applying the same
 * message with the same seed draws the same numbers. The caller picks the seed (for example from
 * the document key and message id); it must be the same on every replay of the message.
 */
public final class Invocation implements MessageContext {
  /** The longest timer name, in characters. */
  public static final int MAX_TIMER_NAME_CHARS = 100;

  private final DocKey doc;
  private final JsonNode body;
  private final String actor;
  private final long timestampMillis;
  private final String messageId;
  private final boolean fromTimer;
  private final SplittableRandom random;
  private final Map<String, TimerRequest> timers = new LinkedHashMap<>();

  /**
   * @param doc the document the message is addressed to
   * @param body the message body, never null
   * @param actor the authenticated sender, or null
   * @param timestampMillis the message timestamp, epoch millis
   * @param messageId the message id, or null
   * @param seed the seed of {@link #random()}
   * @param fromTimer whether a timer of this document delivered the message
   */
  public Invocation(
      DocKey doc,
      JsonNode body,
      String actor,
      long timestampMillis,
      String messageId,
      long seed,
      boolean fromTimer) {
    this.doc = Objects.requireNonNull(doc, "doc");
    this.body = Objects.requireNonNull(body, "body");
    this.actor = actor;
    this.timestampMillis = timestampMillis;
    this.messageId = messageId;
    this.fromTimer = fromTimer;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public DocKey doc() {
    return doc;
  }

  @Override
  public JsonNode body() {
    return body;
  }

  @Override
  public String actor() {
    return actor;
  }

  @Override
  public long timestampMillis() {
    return timestampMillis;
  }

  @Override
  public String messageId() {
    return messageId;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }

  @Override
  public boolean fromTimer() {
    return fromTimer;
  }

  /**
   * @throws DocstreamException with {@link ErrorCode#LOGIC_FAILED} when the name is not 1-100
   *     characters, the delay is negative or overflows, or there is no body: these are bugs in the
   *     logic, not in the message
   */
  @Override
  public void schedule(String timerName, long delayMillis, JsonNode body) {
    checkName(timerName);
    if (delayMillis < 0) {
      throw failed("timer " + timerName + ": delay must be >= 0, was " + delayMillis);
    }
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw failed("timer " + timerName + ": a timer needs a body");
    }
    long fireAtMillis;
    try {
      fireAtMillis = Math.addExact(timestampMillis, delayMillis);
    } catch (ArithmeticException e) {
      throw failed("timer " + timerName + ": delay " + delayMillis + " overflows");
    }
    record(new TimerRequest.Schedule(timerName, fireAtMillis, body.deepCopy()));
  }

  /**
   * @throws DocstreamException with {@link ErrorCode#LOGIC_FAILED} when the name is not 1-100
   *     characters
   */
  @Override
  public void cancel(String timerName) {
    checkName(timerName);
    record(new TimerRequest.Cancel(timerName));
  }

  /**
   * The timer requests of this message, one per name, in the order of each name's last call.
   * Schedule-then-cancel of a name leaves only the cancel; cancel-then-schedule only the schedule.
   */
  public List<TimerRequest> timerRequests() {
    return List.copyOf(timers.values());
  }

  private void record(TimerRequest request) {
    timers.remove(request.name()); // re-inserting moves the name to the end of the order
    timers.put(request.name(), request);
  }

  private static void checkName(String timerName) {
    if (timerName == null || timerName.isEmpty() || timerName.length() > MAX_TIMER_NAME_CHARS) {
      throw failed(
          "timer name must be 1-"
              + MAX_TIMER_NAME_CHARS
              + " characters, was "
              + abbreviate(timerName));
    }
  }

  private static DocstreamException failed(String reason) {
    return new DocstreamException(ErrorCode.LOGIC_FAILED, reason);
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 40
        ? "'" + s + "'"
        : "'" + s.substring(0, 40) + "...' (" + s.length() + ")";
  }

  @Override
  public String toString() {
    return "Invocation["
        + doc
        + " id="
        + messageId
        + " actor="
        + actor
        + " ts="
        + timestampMillis
        + (fromTimer ? " timer" : "")
        + "]";
  }
}
