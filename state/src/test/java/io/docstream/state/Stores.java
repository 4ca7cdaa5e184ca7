package io.docstream.state;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/** In-memory stores with the same interface as the RocksDB ones, for unit tests. */
final class Stores {
  private Stores() {}

  static KeyValueStore<Bytes, byte[]> inMemory(String name) {
    KeyValueStore<Bytes, byte[]> store =
        org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  /**
   * What a commit does to this thread's stores before it sends anything: a cache flush, which has
   * the writes held for the commit (history runs) written.
   */
  static void flushThread() {
    @SuppressWarnings("unchecked")
    KeyValueStore<Bytes, byte[]> cached =
        (KeyValueStore<Bytes, byte[]>)
            Proxy.newProxyInstance(
                Stores.class.getClassLoader(),
                new Class<?>[] {KeyValueStore.class, CachedStateStore.class},
                (proxy, method, args) -> method.getName().equals("isOpen") ? true : null);
    new ThreadFlushedStore(cached).flushCache();
  }

  /** The message slots a history store holds: one per slot record, and each slot of every run. */
  static long slotsHeld(KeyValueStore<Bytes, byte[]> history) {
    return runLengths(history).stream().mapToLong(Integer::longValue).sum();
  }

  /** The slots of each run in a history store, a slot record counting as a run of one. */
  static List<Integer> runLengths(KeyValueStore<Bytes, byte[]> history) {
    List<Integer> runs = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = history.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        byte[] key = entry.key.get();
        int separator = 0;
        while (key[separator] != 0) {
          separator++;
        }
        byte kind = key[separator + 1];
        if (kind == 'r') {
          runs.add(DeltaHistory.Run.decode(0, entry.value).count());
        } else if (kind == 'm') {
          runs.add(1);
        }
      }
    }
    return runs;
  }
}
