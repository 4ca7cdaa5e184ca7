package io.docstream.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.docstream.document.Document;
import io.docstream.serdes.Command;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DeltaLocation;
import io.docstream.state.DocumentState;
import io.docstream.state.StateLimits;
import io.docstream.state.Timers;
import io.docstream.topology.CommitFaultSpace;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class DocumentApplierTest {
  private static final long T0 = 1_700_000_000_000L;

  /** {"arm": millis} (re)schedules timer "turn", {"cancel": true} cancels it; a timer counts. */
  public static final class TurnSpace implements SpaceLogic {
    @Override
    public void apply(MessageContext ctx, Document doc) {
      if (ctx.fromTimer()) {
        doc.set("/fired", Json.NODES.textNode(ctx.messageId()));
      } else if (ctx.body().has("arm")) {
        ctx.schedule("turn", ctx.body().get("arm").longValue(), IntNode.valueOf(1));
      } else {
        ctx.cancel("turn");
      }
    }
  }

  private final DocumentState state =
      new DocumentState(
          store("docs"),
          store("meta"),
          store("history"),
          store("dedupe"),
          store("timers"),
          new StateLimits(10, 100, 600_000, 1 << 20, 1 << 20));
  private final DocumentApplier applier =
      new DocumentApplier(
          SpaceRegistry.fromProperties(
              Map.of(
                  "spaces.fault.logic", CommitFaultSpace.class.getName(),
                  "spaces.turn.logic", TurnSpace.class.getName())),
          state,
          1 << 20);

  private static KeyValueStore<Bytes, byte[]> store(String name) {
    KeyValueStore<Bytes, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }

  private Outcome send(String doc, String id, String body, String actor, long ts) {
    return applier.apply(
        DocKey.parse(doc),
        new Command(id, Json.parse(body), actor, ts, null),
        ts,
        new DeltaLocation(ts, 0));
  }

  /** Fires the due timers as the punctuation does and returns their messages. */
  private List<Command> fire(long nowMillis) {
    List<Timers.Due> due = state.timers().due(nowMillis, 10);
    due.forEach(state.timers()::fire);
    return due.stream()
        .map(d -> Json.MAPPER.convertValue(Json.parse(d.message()), Command.class))
        .toList();
  }

  private Outcome deliver(String doc, Command timer) {
    return applier.apply(DocKey.parse(doc), timer, timer.ts(), new DeltaLocation(timer.ts(), 0));
  }

  private static int code(Outcome outcome) {
    return ((Outcome.Rejected) outcome).rejection().code();
  }

  @Test
  void shouldLeaveNoChangeInTheCacheWhenAnErrorEscapes() {
    send("fault/a", "ok", "{}", null, 1);
    assertThatThrownBy(() -> send("fault/a", "e", "{\"fail\":\"error\"}", null, 2))
        .isInstanceOf(AssertionError.class);
    assertThat(state.open("fault/a").root()).isEqualTo(Json.parse("{\"ok\":1,\"touched\":1}"));
    assertThat(state.open("fault/a").meta().seq()).isEqualTo(1);
  }

  @Test
  void shouldApplyATimerMessageThatIsStillTheCurrentTimer() {
    send("turn/t", "arm", "{\"arm\":1000}", "alice", T0);
    Command timer = fire(T0 + 1000).get(0);

    assertThat(deliver("turn/t", timer)).isInstanceOf(Outcome.Applied.class);
    assertThat(state.timers().fired("turn/t", "turn")).isNull();
  }

  @Test
  void shouldRejectAsStaleATimerCancelledAfterItFired() {
    send("turn/t", "arm", "{\"arm\":1000}", "alice", T0);
    Command timer = fire(T0 + 1000).get(0);
    send("turn/t", "cancel", "{\"cancel\":true}", "alice", T0 + 1001);

    assertThat(code(deliver("turn/t", timer))).isEqualTo(ErrorCode.TIMER_STALE.code());
    assertThat(state.open("turn/t").root().has("fired")).isFalse();
    assertThat(state.timers().fired("turn/t", "turn")).isNull();
  }

  @Test
  void shouldRejectAsStaleATimerRescheduledAfterItFiredAndApplyTheNewOne() {
    send("turn/t", "arm", "{\"arm\":1000}", "alice", T0);
    Command first = fire(T0 + 1000).get(0);
    send("turn/t", "rearm", "{\"arm\":0}", "alice", T0 + 1001);
    Command second = fire(T0 + 1001).get(0);

    assertThat(code(deliver("turn/t", first))).isEqualTo(ErrorCode.TIMER_STALE.code());
    assertThat(deliver("turn/t", second)).isInstanceOf(Outcome.Applied.class);
    assertThat(state.open("turn/t").root().get("fired").textValue()).isEqualTo(second.id());
  }

  @Test
  void shouldApplyATimerMessageFiredBeforeFiredMarksWereKept() {
    Command fromAnOlderBuild =
        new Command("timer:turn:5:1", IntNode.valueOf(1), DocumentApplier.TIMER_ACTOR, 5L, null);
    assertThat(deliver("turn/t", fromAnOlderBuild)).isInstanceOf(Outcome.Applied.class);
  }
}
