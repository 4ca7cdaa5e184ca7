package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import io.docstream.state.internal.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  private void commit(String doc, String patchJson, String id) {
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
        ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8),
        id == null ? List.of() : List.of(id));
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
  void shouldServeHistoryOnlyWhileItReachesBack() {
    for (int i = 0; i < 11; i++) {
      commit("json/a", "{\"n\":" + i + "}", null);
      commit("json/b", "{\"n\":" + i + "}", null);
    }
    DocumentReader reader = new DocumentReader(docs, meta, history, 3);
    assertThat(reader.deltasAfter("json/a", 8))
        .hasValueSatisfying(
            l ->
                assertThat(l)
                    .extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("{\"seq\":9}", "{\"seq\":10}", "{\"seq\":11}"));
    assertThat(reader.deltasAfter("json/a", 11)).hasValueSatisfying(l -> assertThat(l).isEmpty());
    assertThat(reader.deltasAfter("json/a", 7)).isEmpty();
    assertThat(entries(history)).isEqualTo(6);
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
    assertThat(entries(dedupe)).as("two ids and their two queue items").isEqualTo(4);
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
  void shouldTakeOverStoresWrittenBeforeTheRings() {
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
    assertThat(new DocumentReader(docs, meta, history, 3).deltasAfter("json/a", 0))
        .hasValueSatisfying(
            l ->
                assertThat(l)
                    .extracting(b -> new String(b, StandardCharsets.UTF_8))
                    .containsExactly("{\"seq\":1}"));
    assertThat(DeltaHistory.after(history, 3, "json/a", 1, 2)).as("an old entry").isEmpty();
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
