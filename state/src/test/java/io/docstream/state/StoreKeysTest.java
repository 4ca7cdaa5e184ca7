package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class StoreKeysTest {
  private final Map<String, KeyValueStore<Bytes, byte[]>> stores =
      Map.of(
          StoreNames.DOCS, Stores.inMemory("docs"),
          StoreNames.META, Stores.inMemory("meta"),
          StoreNames.HISTORY, Stores.inMemory("history"),
          StoreNames.DEDUPE, Stores.inMemory("dedupe"),
          StoreNames.TIMERS, Stores.inMemory("timers"));
  private final DocumentState state =
      new DocumentState(
          stores.get(StoreNames.DOCS),
          stores.get(StoreNames.META),
          stores.get(StoreNames.HISTORY),
          stores.get(StoreNames.DEDUPE),
          stores.get(StoreNames.TIMERS),
          new StateLimits(3, 2, 0, 1 << 20, 1 << 20));

  private void commit(String doc, String patchJson, String id) {
    ObjectNode patch = (ObjectNode) Json.parse(patchJson);
    DocumentCache.Entry entry = state.open(doc);
    io.docstream.document.MergePatch.apply(entry.root(), patch);
    long seq = entry.meta().seq() + 1;
    state.commit(
        doc, state.plan(doc, patch), seq, seq, "alice", new DeltaLocation(seq, 0), List.of(id));
    Stores.flushThread();
  }

  @Test
  void shouldNameTheDocumentOfEveryKeyOfEveryStore() {
    for (String doc : List.of("chat/a", "cards/t\u00e9-7")) {
      commit(doc, "{\"a\":{\"b\\u0000c\":1},\"n\":[1]}", "m1");
      commit(doc, "{\"a\":{\"d\":2}}", "m2");
      state.timers().schedule(doc, "turn", 1000, "{\"id\":\"timer:turn:1000:2\"}".getBytes());
      state.timers().schedule(doc, "other", 5, "{\"id\":\"timer:other:5:2\"}".getBytes());
    }
    state.timers().fire(state.timers().due(5, 10).get(0));

    Set<String> seen = new HashSet<>();
    for (String store : StoreKeys.STORES) {
      try (var it = stores.get(store).all()) {
        assertThat(it.hasNext()).as(store + " holds records").isTrue();
        while (it.hasNext()) {
          String doc =
              new String(StoreKeys.document(store, it.next().key.get()), StandardCharsets.UTF_8);
          assertThat(doc).as("document of a key in " + store).isIn("chat/a", "cards/t\u00e9-7");
          seen.add(store + " " + doc);
        }
      }
    }
    assertThat(seen).hasSize(10);
  }

  @Test
  void shouldRefuseAKeyWithoutADocumentSeparator() {
    assertThatThrownBy(() -> StoreKeys.document(StoreNames.DOCS, new byte[] {'x'}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(StoreNames.DOCS);
  }

  @Test
  void shouldGiveChangelogsTheConfigsStreamsGivesThem() {
    assertThat(StoreKeys.changelogConfig())
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("max.message.bytes", Integer.toString(8 * 1024 * 1024));
    assertThat(StoreKeys.changelogTopic("app-g2", StoreNames.DOCS))
        .isEqualTo("app-g2-docstream-docs-changelog");
  }
}
