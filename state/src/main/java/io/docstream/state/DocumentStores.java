package io.docstream.state;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Builders of the RocksDB-backed, changelogged stores a docstream topology needs. */
public final class DocumentStores {
  private DocumentStores() {}

  public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders() {
    return List.of(
        store(StoreNames.DOCS),
        store(StoreNames.META),
        store(StoreNames.HISTORY),
        store(StoreNames.DEDUPE),
        store(StoreNames.TIMERS));
  }

  private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingEnabled()
        .withLoggingEnabled(java.util.Map.of());
  }
}
