package io.docstream.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.Nodes;
import io.docstream.document.TrackedDocument;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.List;

/**
 * Plays the processor's part for logic tests: one document, messages applied through an {@link
 * Invocation}, commit on success and rollback on any exception. Timestamps advance by one second
 * per message and seeds are drawn from a counter, so two fixtures fed the same messages see the
 * same inputs.
 */
public final class SpaceFixture {
  private final SpaceLogic logic;
  private final DocKey key;
  private final TrackedDocument doc = new TrackedDocument(Nodes.object());
  private long clockMillis = 1_700_000_000_000L;
  private long seed;
  private int messages;
  private List<TimerRequest> timers = List.of();

  public SpaceFixture(String key, SpaceLogic logic, long firstSeed) {
    this.key = DocKey.parse(key);
    this.logic = logic;
    this.seed = firstSeed;
  }

  public SpaceFixture(String key, SpaceLogic logic) {
    this(key, logic, 1);
  }

  /**
   * Asserts that {@code actual} is the JSON {@code expected}, comparing numbers by value: logic
   * writes longs where the parser reads ints.
   */
  public static void assertJson(JsonNode actual, String expected) {
    JsonNode wanted = Json.parse(expected);
    assertThat(actual.equals(SpaceFixture::compare, wanted))
        .as("expected %s but was %s", wanted, actual)
        .isTrue();
  }

  private static int compare(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  }

  /** Applies a message from {@code actor} and returns the committed delta. */
  public ObjectNode send(String actor, String body) {
    return apply(actor, Json.parse(body), false);
  }

  /** Delivers a timer message (no actor) and returns the committed delta. */
  public ObjectNode fire(JsonNode body) {
    return apply(null, body, true);
  }

  /**
   * Applies a message that must be rejected with {@code code}, and checks that after the rollback
   * the document is exactly as before.
   */
  public DocstreamException reject(String actor, String body, ErrorCode code) {
    return rejectAny(actor, Json.parse(body), false, code);
  }

  public DocstreamException rejectAny(
      String actor, JsonNode body, boolean fromTimer, ErrorCode code) {
    JsonNode before = doc.root().deepCopy();
    DocstreamException e =
        catchThrowableOfType(DocstreamException.class, () -> apply(actor, body, fromTimer));
    assertThat(e).as("rejection of %s", body).isNotNull();
    assertThat(e.code()).as("code of %s", e).isEqualTo(code.code());
    assertThat(doc.root()).as("document after rollback").isEqualTo(before);
    return e;
  }

  /** Sets up state directly, as a previous history of messages would have left it. */
  public void given(String pointer, String json) {
    doc.set(pointer, Json.parse(json));
    doc.commit();
  }

  public JsonNode at(String pointer) {
    return doc.get(pointer);
  }

  public ObjectNode root() {
    return doc.root();
  }

  /** The timer requests of the last applied message. */
  public List<TimerRequest> timers() {
    return timers;
  }

  public long lastTimestampMillis() {
    return clockMillis;
  }

  private ObjectNode apply(String actor, JsonNode body, boolean fromTimer) {
    clockMillis += 1000;
    messages++;
    Invocation invocation =
        new Invocation(key, body, actor, clockMillis, "m-" + messages, seed++, fromTimer);
    try {
      logic.apply(invocation, doc);
    } catch (RuntimeException e) {
      doc.rollback();
      timers = List.of();
      throw e;
    }
    timers = invocation.timerRequests();
    return doc.commit();
  }
}
