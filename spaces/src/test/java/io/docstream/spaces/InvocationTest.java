package io.docstream.spaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import org.junit.jupiter.api.Test;

class InvocationTest {
  private static final DocKey DOC = DocKey.parse("cards/t1");
  private static final long TS = 1_700_000_000_000L;

  private static Invocation invocation(long seed) {
    return new Invocation(DOC, Json.parse("{\"op\":\"draw\"}"), "alice", TS, "m-1", seed, false);
  }

  @Test
  void shouldExposeTheMessage() {
    Invocation ctx = new Invocation(DOC, Json.parse("{\"a\":1}"), "alice", TS, "m-1", 7, true);

    assertThat(ctx.doc()).isEqualTo(DOC);
    assertThat(ctx.body()).isEqualTo(Json.parse("{\"a\":1}"));
    assertThat(ctx.actor()).isEqualTo("alice");
    assertThat(ctx.timestampMillis()).isEqualTo(TS);
    assertThat(ctx.messageId()).isEqualTo("m-1");
    assertThat(ctx.fromTimer()).isTrue();
    assertThat(ctx.timerRequests()).isEmpty();
  }

  @Test
  void shouldDrawTheSameNumbersForTheSameSeed() {
    Invocation a = invocation(42);
    Invocation b = invocation(42);
    for (int i = 0; i < 20; i++) {
      assertThat(a.random().nextInt(1000)).isEqualTo(b.random().nextInt(1000));
    }
    assertThat(invocation(42).random().nextLong()).isNotEqualTo(invocation(43).random().nextLong());
  }

  @Test
  void shouldFireTimersDelayAfterTheMessageTimestamp() {
    Invocation ctx = invocation(1);
    ObjectNode body = Json.object().put("turnNo", 3);

    ctx.schedule("turn", 30_000, body);
    body.put("turnNo", 4); // the logic changing its node afterwards must not change the request

    assertThat(ctx.timerRequests())
        .containsExactly(
            new TimerRequest.Schedule("turn", TS + 30_000, Json.object().put("turnNo", 3)));
  }

  @Test
  void shouldKeepOneRequestPerNameInOrderOfLastCall() {
    Invocation ctx = invocation(1);

    ctx.schedule("a", 1, Json.object());
    ctx.schedule("b", 2, Json.object());
    ctx.schedule("a", 3, Json.object().put("v", 2));
    ctx.cancel("c");

    assertThat(ctx.timerRequests())
        .containsExactly(
            new TimerRequest.Schedule("b", TS + 2, Json.object()),
            new TimerRequest.Schedule("a", TS + 3, Json.object().put("v", 2)),
            new TimerRequest.Cancel("c"));
  }

  @Test
  void shouldReplaceAScheduleByALaterCancelAndViceVersa() {
    Invocation ctx = invocation(1);

    ctx.schedule("turn", 10, Json.object());
    ctx.cancel("turn");
    ctx.cancel("other");
    ctx.schedule("other", 5, Json.object());

    assertThat(ctx.timerRequests())
        .containsExactly(
            new TimerRequest.Cancel("turn"),
            new TimerRequest.Schedule("other", TS + 5, Json.object()));
  }

  @Test
  void shouldExposeAnImmutableSnapshotOfRequests() {
    Invocation ctx = invocation(1);
    ctx.cancel("a");
    var requests = ctx.timerRequests();
    ctx.cancel("b");

    assertThat(requests).hasSize(1);
    assertThatThrownBy(() -> requests.add(new TimerRequest.Cancel("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldFailTheLogicOnBadTimerNames() {
    Invocation ctx = invocation(1);
    assertLogicFailed(() -> ctx.schedule("", 1, Json.object()));
    assertLogicFailed(() -> ctx.schedule(null, 1, Json.object()));
    assertLogicFailed(() -> ctx.schedule("x".repeat(101), 1, Json.object()));
    assertLogicFailed(() -> ctx.cancel(""));
    ctx.schedule("x".repeat(100), 1, Json.object());
    assertThat(ctx.timerRequests()).hasSize(1);
  }

  @Test
  void shouldFailTheLogicOnBadDelaysOrBodies() {
    Invocation ctx = invocation(1);
    assertLogicFailed(() -> ctx.schedule("t", -1, Json.object()));
    assertLogicFailed(() -> ctx.schedule("t", Long.MAX_VALUE, Json.object()));
    assertLogicFailed(() -> ctx.schedule("t", 1, null));
    assertLogicFailed(() -> ctx.schedule("t", 1, Json.NODES.nullNode()));
    ctx.schedule("t", 0, Json.object());
    assertThat(ctx.timerRequests())
        .containsExactly(new TimerRequest.Schedule("t", TS, Json.object()));
  }

  @Test
  void shouldRefuseAMissingDocOrBody() {
    assertThatThrownBy(() -> new Invocation(DOC, null, null, TS, null, 1, false))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Invocation(null, Json.object(), null, TS, null, 1, false))
        .isInstanceOf(NullPointerException.class);
  }

  private static void assertLogicFailed(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LOGIC_FAILED.code()));
  }
}
