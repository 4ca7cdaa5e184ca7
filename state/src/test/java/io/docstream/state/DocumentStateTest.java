package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import io.docstream.state.internal.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class DocumentStateTest {
  private final KeyValueStore<Bytes, byte[]> docs = Stores.inMemory("docs");
  private final KeyValueStore<Bytes, byte[]> meta = Stores.inMemory("meta");
  private final KeyValueStore<Bytes, byte[]> history = Stores.inMemory("history");
  private final KeyValueStore<Bytes, byte[]> dedupe = Stores.inMemory("dedupe");
  private final DocumentState state =
      new DocumentState(
          docs,
          meta,
          history,
          dedupe,
          Stores.inMemory("timers"),
          new StateLimits(3, 2, 0, 1 << 20, 1 << 20));

  /** The deltas topic: every delta committed, as the processor would write it. */
  private final Map<String, byte[]> topic = new HashMap<>();

  /** Deltas of the topic whose transaction is still open: not readable yet. */
  private final Set<String> open = new HashSet<>();

  private final DeltaLog log =
      (doc, wanted) -> {
        Map<Long, byte[]> out = new HashMap<>();
        Set<Long> pending = new HashSet<>();
        for (DeltaLog.Place p : wanted) {
          byte[] delta = topic.get(doc + "@" + p.seq());
          if (open.contains(doc + "@" + p.seq())) {
            pending.add(p.seq());
          } else if (delta != null && p.timestampMillis() == p.seq()) {
            out.put(p.seq(), delta);
          }
        }
        return new DeltaLog.Found(out, pending);
      };

  private static List<String> deltas(DeltasAfter answer) {
    assertThat(answer).isInstanceOf(DeltasAfter.Deltas.class);
    return ((DeltasAfter.Deltas) answer)
        .deltas().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  /** One message applied and its commit's cache flush done. */
  private void commit(String doc, String patchJson, String id) {
    apply(doc, patchJson, id);
    Stores.flushThread();
  }

  /** One message applied; its commit not flushed yet. */
  private void apply(String doc, String patchJson, String id) {
    ObjectNode patch = (ObjectNode) Json.parse(patchJson);
    DocumentCache.Entry entry = state.open(doc);
    io.docstream.document.MergePatch.apply(entry.root(), patch);
    long seq = entry.meta().seq() + 1;
    state.commit(
        doc,
        state.plan(doc, patch),
        seq,
        seq,
        null,
        new DeltaLocation(seq, 0),
        id == null ? List.of() : List.of(id));
    topic.put(doc + "@" + seq, ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldRebuildTheDocumentFromItsEntries() {
    commit("json/a", "{\"a\":{\"b\":1,\"c\":[1,{\"d\":2}]},\"e\":\"x\",\"empty\":{}}", null);
    commit("json/a", "{\"a\":{\"b\":null},\"e\":{\"f\":true}}", null);
    commit("json/b", "{\"other\":1}", null);

    assertThat(DocumentEntries.load(docs, "json/a").root())
        .isEqualTo(Json.parse("{\"a\":{\"c\":[1,{\"d\":2}]},\"e\":{\"f\":true},\"empty\":{}}"));
    assertThat(DocumentEntries.load(docs, "json/b").root()).isEqualTo(Json.parse("{\"other\":1}"));
  }

  @Test
  void shouldAccountStoredBytesExactly() {
    commit("json/a", "{\"a\":{\"b\":\"xyz\",\"c\":{\"d\":1}},\"e\":2}", null);
    commit("json/a", "{\"a\":7,\"e\":null}", null);
    long counted = 0;
    try (var it = docs.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        counted += entry.key.get().length + entry.value.length;
      }
    }
    assertThat(state.open("json/a").meta().storedBytes()).isEqualTo(counted);
    assertThat(state.open("json/a").meta().seq()).isEqualTo(2);
  }

  @Test
  void shouldKeepSegmentsWithSeparatorBytesApart() {
    commit("json/a", "{\"a\\u0000b\":1,\"a\":{\"b\":2},\"a\\u0001\":3}", null);
    assertThat(DocumentEntries.load(docs, "json/a").root())
        .isEqualTo(Json.parse("{\"a\\u0000b\":1,\"a\":{\"b\":2},\"a\\u0001\":3}"));
  }

  @Test
  void shouldServeHistoryOnlyWhileItReachesBack() throws InterruptedException {
    for (int i = 0; i < 11; i++) {
      commit("json/a", "{\"n\":" + i + "}", null);
      commit("json/b", "{\"n\":" + i + "}", null);
    }
    DocumentReader reader = new DocumentReader(docs, meta, history, 3, log);
    assertThat(deltas(reader.deltasAfter("json/a", 8)))
        .containsExactly("{\"seq\":9}", "{\"seq\":10}", "{\"seq\":11}");
    assertThat(deltas(reader.deltasAfter("json/a", 11))).isEmpty();
    assertThat(reader.deltasAfter("json/a", 7)).isInstanceOf(DeltasAfter.Gone.class);
  }

  @Test
  void shouldWaitForTheSlotsHeldUntilTheCommit() throws Exception {
    commit("json/a", "{\"n\":1}", null);
    apply("json/a", "{\"n\":2}", null);
    apply("json/a", "{\"n\":3}", null);
    DocumentReader reader = new DocumentReader(docs, meta, history, 3, log);
    CompletableFuture<DeltasAfter> answer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.deltasAfter("json/a", 0);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertThat(answer).as("slots 2 and 3 are held until the commit's flush").isNotDone();

    Stores.flushThread();

    assertThat(deltas(answer.get(10, TimeUnit.SECONDS)))
        .containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
  }

  @Test
  void shouldServeOnlyTheRunOfDeltasTheLogStillHolds() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      commit("json/a", "{\"n\":" + i + "}", null);
    }
    DocumentReader reader = new DocumentReader(docs, meta, history, 3, log);
    open.add("json/a@3");
    assertThat(reader.deltasAfter("json/a", 1))
        .as("applied, not committed yet: asked again later, never a short list")
        .isEqualTo(new DeltasAfter.Pending(3));
    open.clear();
    topic.remove("json/a@3");
    assertThat(deltas(reader.deltasAfter("json/a", 1)))
        .as("gone from the topic: the run stops before it")
        .hasSize(1);
    topic.remove("json/a@1");
    assertThat(reader.deltasAfter("json/a", 0))
        .as("deleted by retention")
        .isInstanceOf(DeltasAfter.Gone.class);
  }

  @Test
  void shouldKeepSlotsAsLongAsTheirIdsAndNoLongerThanBothWindows() {
    DocumentState longWindow =
        new DocumentState(
            docs,
            meta,
            history,
            dedupe,
            Stores.inMemory("t"),
            new StateLimits(2, 5, 0, 1, 1 << 20));
    for (int seq = 1; seq <= 200; seq++) {
      ObjectNode patch = (ObjectNode) Json.parse("{\"n\":" + seq + "}");
      io.docstream.document.MergePatch.apply(longWindow.open("json/a").root(), patch);
      longWindow.commit(
          "json/a",
          longWindow.plan("json/a", patch),
          seq,
          seq,
          null,
          new DeltaLocation(seq, 0),
          seq % 2 == 0 ? List.of("m" + seq) : List.of());
      if (seq % 10 == 0) {
        Stores.flushThread();
      }
    }
    assertThat(longWindow.dedupe().appliedAt("json/a", null, "m194")).isEmpty();
    assertThat(longWindow.dedupe().appliedAt("json/a", null, "m196")).hasValue(196);
    assertThat(entries(dedupe)).as("ids 196, 198, 200").isEqualTo(3);
    assertThat(Stores.slotsHeld(history))
        .as("slots 196 to 200 (the id window reaches further), at most a run's worth more")
        .isBetween(5L, 5L + DeltaHistory.MAX_RUN_SLOTS);
  }

  @Test
  void shouldRememberIdsForTheDedupeWindowOnly() {
    commit("json/a", "{\"n\":1}", "m1");
    commit("json/a", "{\"n\":2}", "m2");
    assertThat(state.dedupe().appliedAt("json/a", null, "m1")).hasValue(1);
    assertThat(state.dedupe().appliedAt("json/b", null, "m1")).isEmpty();
    commit("json/a", "{\"n\":3}", "m3");
    assertThat(state.dedupe().appliedAt("json/a", null, "m1")).isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", null, "m2")).hasValue(2);
    for (int i = 4; i <= 20; i++) {
      commit("json/a", "{\"n\":" + i + "}", "m" + i);
    }
    assertThat(state.dedupe().appliedAt("json/a", null, "m18")).isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", null, "m19")).hasValue(19);
    assertThat(state.dedupe().appliedAt("json/a", null, "m20")).hasValue(20);
    assertThat(entries(dedupe)).as("two ids").isEqualTo(2);
  }

  @Test
  void shouldApplyAnIdAgainOnceTheWindowHasForgottenIt() {
    commit("json/a", "{\"n\":1}", "m1");
    commit("json/a", "{\"n\":2}", "m2");
    commit("json/a", "{\"n\":3}", "m3");
    commit("json/a", "{\"n\":4}", "m1");
    commit("json/a", "{\"n\":5}", "m5");
    assertThat(state.dedupe().appliedAt("json/a", null, "m1")).hasValue(4);
    commit("json/a", "{\"n\":6}", "m6");
    assertThat(state.dedupe().appliedAt("json/a", null, "m1")).isEmpty();
  }

  @Test
  void shouldTakeOverStoresWrittenBeforeTheRings() throws InterruptedException {
    // the old layout: history keyed doc+seq holding the bare delta, dedupe doc+'s'+seq -> bare id
    byte[] prefix = KeyCodec.docPrefix("json/a");
    for (long seq = 1; seq <= 2; seq++) {
      history.put(
          Bytes.wrap(KeyCodec.withLong(prefix, seq)), "{}".getBytes(StandardCharsets.UTF_8));
    }
    dedupe.put(
        Bytes.wrap(KeyCodec.withLong(KeyCodec.append(prefix, (byte) 's'), 1)),
        "m1".getBytes(StandardCharsets.UTF_8));

    commit("json/a", "{\"n\":1}", "m9");

    assertThat(state.dedupe().appliedAt("json/a", null, "m9")).hasValue(1);
    assertThat(deltas(new DocumentReader(docs, meta, history, 3, log).deltasAfter("json/a", 0)))
        .containsExactly("{\"seq\":1}");
  }

  /**
   * State written by the build before slots (2026-12-04): 49-byte meta, a ring of whole deltas and
   * a dedupe queue. Its deltas are served from the ring until the slots cover the history, then the
   * ring is deleted; its ids stay remembered by the same rules and expire from the old queue.
   */
  @Test
  void shouldServeTheRingAndHonourTheQueueOfTheLayoutBeforeSlots() throws InterruptedException {
    byte[] prefix = KeyCodec.docPrefix("json/a");
    byte[] scope = KeyCodec.append(new byte[] {0}, "old".getBytes(StandardCharsets.UTF_8));
    for (long seq = 1; seq <= 4; seq++) {
      history.put(
          Bytes.wrap(KeyCodec.withLong(prefix, seq % 3)),
          KeyCodec.append(
              KeyCodec.withLong(new byte[0], seq),
              ("{\"seq\":" + seq + ",\"ring\":true}").getBytes(StandardCharsets.UTF_8)));
    }
    dedupe.put(
        Bytes.wrap(KeyCodec.append(KeyCodec.append(prefix, (byte) 'k'), scope)),
        KeyCodec.withLong(new byte[0], 4));
    dedupe.put(
        Bytes.wrap(KeyCodec.withLong(KeyCodec.append(prefix, (byte) 'q'), 7)),
        KeyCodec.append(KeyCodec.withLong(KeyCodec.withLong(new byte[0], 4), 4), scope));
    byte[] queueMeta = new byte[49];
    byte[] head = KeyCodec.withLong(KeyCodec.withLong(new byte[0], 4), 0);
    System.arraycopy(head, 0, queueMeta, 0, 16);
    System.arraycopy(KeyCodec.withLong(new byte[0], 7), 0, queueMeta, 25, 8);
    System.arraycopy(KeyCodec.withLong(new byte[0], 8), 0, queueMeta, 33, 8);
    System.arraycopy(KeyCodec.withLong(new byte[0], 4), 0, queueMeta, 41, 8);
    meta.put(DocumentState.metaKey("json/a"), queueMeta);

    commit("json/a", "{\"n\":5}", "m5");
    DocumentReader reader = new DocumentReader(docs, meta, history, 3, log);
    assertThat(deltas(reader.deltasAfter("json/a", 2)))
        .containsExactly("{\"seq\":3,\"ring\":true}", "{\"seq\":4,\"ring\":true}", "{\"seq\":5}");
    assertThat(state.dedupe().appliedAt("json/a", null, "old")).as("still remembered").hasValue(4);

    commit("json/a", "{\"n\":6}", "m6");
    assertThat(state.dedupe().appliedAt("json/a", null, "old"))
        .as("2 commits later, forgotten from the old queue")
        .isEmpty();
    commit("json/a", "{\"n\":7}", "m7");
    assertThat(deltas(reader.deltasAfter("json/a", 4))).hasSize(3);
    assertThat(reader.deltasAfter("json/a", 3)).isInstanceOf(DeltasAfter.Gone.class);
    assertThat(Meta.decode(meta.get(DocumentState.metaKey("json/a"))).slots().migrating())
        .as("queue drained and ring deleted")
        .isFalse();
    try (var it = history.all()) {
      while (it.hasNext()) {
        assertThat(it.next().key.get()[prefix.length]).as("only runs left").isEqualTo((byte) 'r');
      }
    }
  }

  /**
   * State written by the build before runs: 57-byte meta and one slot record per message (those of
   * seqs 3 and 4 still held, both with an id). Its slots are served and its ids expire by the same
   * rules; runs start at the next seq, and the slot records are deleted as they leave the windows.
   */
  @Test
  void shouldServeAndExpireTheSlotsWrittenBeforeRuns() throws InterruptedException {
    byte[] prefix = KeyCodec.docPrefix("json/a");
    for (long seq = 3; seq <= 4; seq++) {
      byte[] scope = KeyCodec.append(new byte[] {0}, ("o" + seq).getBytes(StandardCharsets.UTF_8));
      history.put(
          Bytes.wrap(KeyCodec.append(KeyCodec.append(prefix, (byte) 'm'), (byte) seq)),
          new DeltaHistory.Slot(seq, seq, 0, List.of(scope)).encode());
      dedupe.put(
          Bytes.wrap(KeyCodec.append(KeyCodec.append(prefix, (byte) 'k'), scope)),
          KeyCodec.withLong(new byte[0], seq));
      topic.put(
          "json/a@" + seq, ("{\"seq\":" + seq + ",\"old\":true}").getBytes(StandardCharsets.UTF_8));
    }
    byte[] slotsMeta = new byte[57];
    long[] fields = {4, 0, 0, 0, 3, 3, 2, 4};
    for (int i = 0, at = 0; i < fields.length; at += i == 2 ? 1 : 8, i++) {
      if (i != 2) {
        System.arraycopy(KeyCodec.withLong(new byte[0], fields[i]), 0, slotsMeta, at, 8);
      }
    }
    meta.put(DocumentState.metaKey("json/a"), slotsMeta);
    assertThat(state.dedupe().appliedAt("json/a", null, "o4")).hasValue(4);

    commit("json/a", "{\"n\":5}", "m5");
    DocumentReader reader = new DocumentReader(docs, meta, history, 3, log);
    assertThat(deltas(reader.deltasAfter("json/a", 2)))
        .containsExactly("{\"seq\":3,\"old\":true}", "{\"seq\":4,\"old\":true}", "{\"seq\":5}");
    assertThat(Meta.decode(meta.get(DocumentState.metaKey("json/a"))).slots().runsFrom())
        .isEqualTo(5);
    assertThat(state.dedupe().appliedAt("json/a", null, "o3")).as("out of both windows").isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", null, "o4")).hasValue(4);

    for (int n = 6; n <= 80; n++) {
      commit("json/a", "{\"n\":" + n + "}", "m" + n);
    }
    assertThat(state.dedupe().appliedAt("json/a", null, "o4")).isEmpty();
    assertThat(state.dedupe().appliedAt("json/a", null, "m79")).hasValue(79);
    assertThat(deltas(reader.deltasAfter("json/a", 77)))
        .containsExactly("{\"seq\":78}", "{\"seq\":79}", "{\"seq\":80}");
    try (var it = history.all()) {
      while (it.hasNext()) {
        assertThat(it.next().key.get()[prefix.length])
            .as("the slot records deleted, runs left")
            .isEqualTo((byte) 'r');
      }
    }
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

  @Test
  void shouldReturnDueTimersEarliestFirstAndReplaceByName() {
    Timers timers = state.timers();
    timers.schedule("cards/t", "turn", 300, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    timers.schedule("cards/u", "turn", 100, "{\"b\":2}".getBytes(StandardCharsets.UTF_8));
    timers.schedule("cards/t", "turn", 200, "{\"c\":3}".getBytes(StandardCharsets.UTF_8));
    timers.schedule("cards/t", "late", 900, "{}".getBytes(StandardCharsets.UTF_8));

    List<Timers.Due> due = timers.due(250, 10);
    assertThat(due).extracting(Timers.Due::doc).containsExactly("cards/u", "cards/t");
    assertThat(due).extracting(Timers.Due::fireAtMillis).containsExactly(100L, 200L);
    assertThat(new String(due.get(1).message(), StandardCharsets.UTF_8)).isEqualTo("{\"c\":3}");

    timers.cancel("cards/t", "turn");
    assertThat(timers.due(1000, 10)).extracting(Timers.Due::name).containsExactly("turn", "late");
  }
}
