package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.serdes.Json;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Ids are remembered per (document, actor, id), for at least a count and at least a time. */
class DedupeWindowTest {
  private static final long WINDOW_MILLIS = 1000;

  private final KeyValueStore<Bytes, byte[]> dedupeStore = Stores.inMemory("dedupe");
  private final DocumentState state =
      new DocumentState(
          Stores.inMemory("docs"),
          Stores.inMemory("meta"),
          Stores.inMemory("history"),
          dedupeStore,
          Stores.inMemory("timers"),
          new StateLimits(3, 2, WINDOW_MILLIS, 1 << 20, 1 << 20));

  private void commit(String actor, String id, long ts) {
    DocumentCache.Entry entry = state.open("json/a");
    ObjectNode patch = (ObjectNode) Json.parse("{\"n\":" + ts + "}");
    MergePatch.apply(entry.root(), patch);
    long seq = entry.meta().seq() + 1;
    state.commit(
        "json/a",
        state.plan("json/a", patch),
        seq,
        ts,
        actor,
        new DeltaLocation(seq, 0),
        id == null ? List.of() : List.of(id));
  }

  @Test
  void shouldKeepIdsOfDifferentActorsApart() {
    commit("alice", "m-1", 0);
    assertThat(state.dedupe().appliedAt("json/a", "alice", "m-1")).hasValue(1);
    assertThat(state.dedupe().appliedAt("json/a", "bob", "m-1")).isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", null, "m-1")).isEmpty();
    commit(null, "m-1", 1);
    commit("bob", "m-1", 2);
    assertThat(state.dedupe().appliedAt("json/a", null, "m-1")).hasValue(2);
    assertThat(state.dedupe().appliedAt("json/a", "bob", "m-1")).hasValue(3);
    assertThat(state.dedupe().appliedAt("json/a", "alice", "m-1")).hasValue(1);
  }

  @Test
  void shouldNotLetAnActorsTextImitateAnotherScope() {
    commit("a", "bc", 0);
    assertThat(state.dedupe().appliedAt("json/a", "ab", "c")).isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", "", "abc")).isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", null, "abc")).isEmpty();
  }

  @Test
  void shouldKeepAnIdWhileEitherTheCountOrTheTimeWindowHoldsIt() {
    commit("alice", "m1", 0);
    for (int i = 2; i <= 5; i++) {
      commit("alice", "m" + i, i);
    }
    assertThat(state.dedupe().appliedAt("json/a", "alice", "m1"))
        .as("4 commits later but only 5 ms")
        .hasValue(1);

    commit("alice", "m6", WINDOW_MILLIS - 1);
    assertThat(state.dedupe().appliedAt("json/a", "alice", "m1")).hasValue(1);
    commit("alice", "m7", WINDOW_MILLIS);
    assertThat(state.dedupe().appliedAt("json/a", "alice", "m1"))
        .as("both windows passed")
        .isEmpty();

    commit("alice", "m8", 5 * WINDOW_MILLIS);
    commit("alice", "m9", 5 * WINDOW_MILLIS);
    assertThat(state.dedupe().appliedAt("json/a", "alice", "m8"))
        .as("the time window has passed for m8's predecessors, the count window holds m8")
        .hasValue(8);
  }

  @Test
  void shouldBoundTheIdsKeptWhenATimestampRunsFarAhead() {
    KeyValueStore<Bytes, byte[]> store = Stores.inMemory("bounded");
    KeyValueStore<Bytes, byte[]> slots = Stores.inMemory("slots");
    AtomicLong commits = new AtomicLong();
    Dedupe dedupe =
        new Dedupe(
            store, new DeltaHistory(slots, commits::incrementAndGet), 1, 2, WINDOW_MILLIS, 5);
    Dedupe.Recorded recorded =
        dedupe.record(
            "json/a",
            Meta.Slots.EMPTY,
            null,
            1,
            Long.MAX_VALUE - 5,
            new DeltaLocation(1, 0),
            "a",
            List.of("f"));
    for (int seq = 2; seq <= 200; seq++) {
      recorded =
          dedupe.record(
              "json/a",
              recorded.slots(),
              recorded.runs(),
              seq,
              seq,
              new DeltaLocation(seq, 0),
              "a",
              List.of("m" + seq));
    }
    Meta.Slots at = recorded.slots();
    assertThat(dedupe.appliedAt("json/a", "a", "f")).isEmpty();
    assertThat(dedupe.appliedAt("json/a", "a", "m195")).isEmpty();
    assertThat(dedupe.appliedAt("json/a", "a", "m196")).hasValue(196);
    assertThat(at.ids()).isEqualTo(5);
    assertThat(entries(store)).as("5 ids").isEqualTo(5);
    assertThat(Stores.slotsHeld(slots))
        .as("their 5 slots, and at most a run's worth more")
        .isBetween(5L, 5L + DeltaHistory.MAX_RUN_SLOTS);
  }

  @Test
  void shouldKeepTheIdsBoundedWhenCommitsWithoutIdsOutnumberIds() {
    for (int i = 0; i < 10; i++) {
      commit("alice", "m" + i, i * WINDOW_MILLIS);
      commit(null, null, i * WINDOW_MILLIS + 1);
    }
    assertThat(entries(dedupeStore)).isLessThanOrEqualTo(2 * 2);
  }

  private static long entries(KeyValueStore<Bytes, byte[]> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }
}
