package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class CommitBatchedStoreTest {
  private static final byte[] ONE = {1};
  private static final byte[] TWO = {2};

  /** A store standing in for RocksDB: it keeps entries in key order and logs every call. */
  private static final class Rocks {
    final TreeMap<Bytes, byte[]> entries = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    final List<List<KeyValue<Bytes, byte[]>>> batches = new ArrayList<>();
    final CommitBatchedStore store;

    @SuppressWarnings("unchecked")
    Rocks() {
      KeyValueStore<Bytes, byte[]> inner =
          (KeyValueStore<Bytes, byte[]>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {KeyValueStore.class},
                  (proxy, method, args) -> {
                    calls.add(method.getName());
                    return switch (method.getName()) {
                      case "get" -> entries.get((Bytes) args[0]);
                      case "put" -> {
                        write((Bytes) args[0], (byte[]) args[1]);
                        yield null;
                      }
                      case "putAll" -> {
                        List<KeyValue<Bytes, byte[]>> batch =
                            (List<KeyValue<Bytes, byte[]>>) args[0];
                        batches.add(List.copyOf(batch));
                        batch.forEach(e -> write(e.key, e.value));
                        yield null;
                      }
                      default -> null;
                    };
                  });
      store = new CommitBatchedStore(inner);
    }

    private void write(Bytes key, byte[] value) {
      if (value == null) {
        entries.remove(key);
      } else {
        entries.put(key, value);
      }
    }

    List<Bytes> keysOfBatch(int i) {
      return batches.get(i).stream().map(e -> e.key).toList();
    }
  }

  private static Bytes key(int... bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    return Bytes.wrap(out);
  }

  @Test
  void shouldHoldWritesUntilTheCommitThenWriteThemInRocksDbsKeyOrderAsOneBatch() {
    Rocks rocks = new Rocks();
    rocks.entries.put(key(4), ONE);
    rocks.store.put(key(0x90), ONE);
    rocks.store.put(key(3), ONE);
    rocks.store.put(key(3, 0), TWO);
    rocks.store.put(key(1), ONE);
    rocks.store.delete(key(4));

    assertThat(rocks.store.get(key(3))).isEqualTo(ONE);
    assertThat(rocks.store.get(key(0x90))).isEqualTo(ONE);
    assertThat(rocks.store.get(key(4))).isNull();
    assertThat(rocks.calls).doesNotContain("put", "putAll", "delete");
    assertThat(rocks.entries).containsOnlyKeys(key(4));

    rocks.store.flushCache();

    assertThat(rocks.batches).hasSize(1);
    assertThat(rocks.keysOfBatch(0)).containsExactly(key(1), key(3), key(3, 0), key(4), key(0x90));
    assertThat(rocks.batches.get(0).get(3).value).isNull();
    assertThat(rocks.entries).containsOnlyKeys(key(1), key(3), key(3, 0), key(0x90));
    assertThat(rocks.calls).doesNotContain("put", "delete");
  }

  @Test
  void shouldWriteAKeyWrittenTwiceInOneCommitOnceWithItsLastValue() {
    Rocks rocks = new Rocks();
    rocks.store.put(key(1), ONE);
    rocks.store.put(key(1), TWO);
    rocks.store.put(key(2), ONE);
    rocks.store.delete(key(2));

    assertThat(rocks.store.get(key(1))).isEqualTo(TWO);
    assertThat(rocks.store.putIfAbsent(key(1), ONE)).isEqualTo(TWO);
    assertThat(rocks.store.putIfAbsent(key(2), TWO)).isNull();
    rocks.store.flushCache();

    assertThat(rocks.batches).hasSize(1);
    assertThat(rocks.batches.get(0))
        .extracting(e -> e.key, e -> Arrays.toString(e.value))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(key(1), Arrays.toString(TWO)),
            org.assertj.core.groups.Tuple.tuple(key(2), Arrays.toString(TWO)));
  }

  @Test
  void shouldWriteTheWaitingWritesBeforeARangeReadAndBeforeKafkaStreamsCommitsTheStore() {
    Rocks rocks = new Rocks();
    rocks.store.put(key(1), ONE);
    rocks.store.range(key(0), key(2));
    rocks.store.put(key(2), ONE);
    rocks.store.commit(Map.of());

    assertThat(rocks.calls).containsSubsequence("putAll", "range", "putAll", "commit");
    assertThat(rocks.entries).containsOnlyKeys(key(1), key(2));
  }

  @Test
  void shouldDropTheWaitingWritesOfATaskClearedOrClosedWithoutACommit() {
    Rocks rocks = new Rocks();
    rocks.store.put(key(1), ONE);
    rocks.store.clearCache();
    assertThat(rocks.store.get(key(1))).isNull();
    rocks.store.put(key(2), ONE);
    rocks.store.close();

    rocks.store.flushCache();

    assertThat(rocks.batches).isEmpty();
    assertThat(rocks.entries).isEmpty();
  }

  @Test
  void shouldWriteBeforeTheCommitOnceTheWaitingBytesReachTheirBound() {
    Rocks rocks = new Rocks();
    int valueBytes = 64 * 1024;
    int toBound = (int) (CommitBatchedStore.MAX_WAITING_BYTES / (valueBytes + 1));
    for (int i = toBound; i >= 0; i--) {
      rocks.store.put(key(i), new byte[valueBytes]);
    }

    assertThat(rocks.batches).hasSize(1);
    assertThat(rocks.keysOfBatch(0)).isSorted().hasSize(toBound + 1);
    rocks.store.flushCache();
    assertThat(rocks.batches).hasSize(1);
  }
}
