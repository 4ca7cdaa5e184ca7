package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.ErrorCode;
import io.docstream.state.CommitBatchedStore;
import io.docstream.state.StoreNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The id entries' commit batch in the topology's store stack: Kafka Streams' commit reaches it
 * through the metered and changelog layers, so RocksDB holds a message's id entry once the message
 * is committed.
 */
class CommitBatchedStoreIntegrationTest {
  @TempDir Path stateDir;

  @Test
  void shouldHaveWrittenACommittedMessagesIdEntryToRocksDb() {
    try (TopologyFixture f = new TopologyFixture(stateDir, Map.of())) {
      f.send("json/a", "batched-id-1", "{\"x\":1}", "alice", 1);
      f.send("json/a", "batched-id-2", "{\"x\":2}", "alice", 2);

      WrappedStateStore<?, ?, ?> dedupe =
          (WrappedStateStore<?, ?, ?>) f.driver.getKeyValueStore(StoreNames.DEDUPE);
      KeyValueStore<Bytes, byte[]> rocks = dedupe.findInner(CommitBatchedStore.class).wrapped();
      assertThat(rocks.persistent()).isTrue();
      assertThat(keysIn(rocks))
          .anyMatch(k -> k.contains("batched-id-1"))
          .anyMatch(k -> k.contains("batched-id-2"));

      f.send("json/a", "batched-id-1", "{\"x\":3}", "alice", 3);
      assertThat(f.deltas()).hasSize(2);
      assertThat(f.rejections())
          .extracting(TopologyFixture.Out::code)
          .containsExactly(ErrorCode.DUPLICATE.code());
    }
  }

  private static List<String> keysIn(KeyValueStore<Bytes, byte[]> store) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        keys.add(new String(entry.key.get(), StandardCharsets.ISO_8859_1));
      }
    }
    return keys;
  }
}
