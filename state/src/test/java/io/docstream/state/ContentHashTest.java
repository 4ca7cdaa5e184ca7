package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.serdes.Json;
import io.docstream.state.internal.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Meta's content hash follows each commit's change and lets readers refuse torn scans. */
class ContentHashTest {
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
          new StateLimits(3, 2, 0, 0, 1 << 20));
  private final DocumentReader reader = new DocumentReader(docs, meta, history, 3, DeltaLog.NONE);

  private void commit(String doc, String patchJson, String id) {
    ObjectNode patch = (ObjectNode) Json.parse(patchJson);
    DocumentCache.Entry entry = state.open(doc);
    MergePatch.apply(entry.root(), patch);
    long seq = entry.meta().seq() + 1;
    state.commit(
        doc,
        state.plan(doc, patch),
        seq,
        seq,
        null,
        new DeltaLocation(seq, 0),
        id == null ? List.of() : List.of(id));
  }

  private long storedHash(String doc) {
    return Meta.decode(meta.get(DocumentState.metaKey(doc))).hash();
  }

  @Test
  void shouldKeepTheHashOfAllEntriesByAddingOnlyWhatEachCommitChanged() throws Exception {
    commit("json/a", "{\"a\":{\"b\":1,\"c\":[1,{\"d\":2}]},\"e\":\"x\",\"empty\":{}}", null);
    commit("json/a", "{\"a\":{\"b\":null},\"e\":{\"f\":true}}", null);
    commit("json/a", "{\"e\":7,\"a\":{\"g\":{\"h\":\"i\"}}}", null);
    commit("json/a", "{\"a\":null}", null);

    assertThat(storedHash("json/a")).isEqualTo(DocumentEntries.load(docs, "json/a").hash());
    assertThat(reader.snapshot("json/a").orElseThrow().hash())
        .isEqualTo(ContentHash.hex(storedHash("json/a")))
        .matches("[0-9a-f]{16}");
  }

  @Test
  void shouldGiveTheSameHashForTheSameContentHoweverItWasReached() {
    commit("json/a", "{\"x\":1,\"y\":{\"z\":2}}", null);
    long first = storedHash("json/a");
    commit("json/a", "{\"y\":null,\"w\":3}", null);
    commit("json/a", "{\"w\":null,\"y\":{\"z\":2}}", null);
    assertThat(storedHash("json/a")).isEqualTo(first);
  }

  @Test
  void shouldRefuseASnapshotWhoseEntriesDoNotHashToMeta() throws Exception {
    commit("json/a", "{\"x\":1}", null);
    docs.put(
        Bytes.wrap(KeyCodec.entry(KeyCodec.docPrefix("json/a"), List.of("torn"))),
        "2".getBytes(StandardCharsets.UTF_8));

    assertThat(reader.snapshot("json/a")).isEmpty();
  }

  @Test
  void shouldHashAndStoreMetaWrittenBeforeHashesAtTheNextCommitAndDropOldDedupeEntries()
      throws Exception {
    commit("json/a", "{\"x\":1,\"y\":{\"z\":2}}", null);
    long expected = storedHash("json/a");
    byte[] legacyMeta = new byte[17];
    System.arraycopy(meta.get(DocumentState.metaKey("json/a")), 0, legacyMeta, 0, 17);
    meta.put(DocumentState.metaKey("json/a"), legacyMeta);
    byte[] prefix = KeyCodec.docPrefix("json/a");
    dedupe.put(
        Bytes.wrap(KeyCodec.append(KeyCodec.append(prefix, (byte) 'i'), (byte) 'm')),
        KeyCodec.withLong(new byte[0], 1));
    dedupe.put(
        Bytes.wrap(KeyCodec.withLong(KeyCodec.append(prefix, (byte) 's'), 1)),
        KeyCodec.append(KeyCodec.withLong(new byte[0], 1), (byte) 'm'));
    state.dropCache();

    assertThat(reader.snapshot("json/a").orElseThrow().hash())
        .as("not checked, but computed")
        .isEqualTo(ContentHash.hex(expected));
    assertThat(state.open("json/a").meta().hash()).isEqualTo(expected);
    commit("json/a", "{\"x\":2}", "m2");

    Meta stored = Meta.decode(meta.get(DocumentState.metaKey("json/a")));
    assertThat(stored.legacy()).isFalse();
    assertThat(stored.hash()).isEqualTo(DocumentEntries.load(docs, "json/a").hash());
    assertThat(state.dedupe().appliedAt("json/a", null, "m2")).hasValue(2);
    long dedupeEntries = 0;
    try (var it = dedupe.all()) {
      while (it.hasNext()) {
        it.next();
        dedupeEntries++;
      }
    }
    assertThat(dedupeEntries).as("m2, the old entries gone").isEqualTo(1);
  }
}
