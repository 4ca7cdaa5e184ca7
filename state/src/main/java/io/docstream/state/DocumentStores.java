package io.docstream.state;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builders of the RocksDB-backed, changelogged stores a docstream topology needs.
 *
 * <p>Only the stores whose keys are written again and again within a commit (a document's entries
 * and its meta) go through Kafka Streams' record cache, which folds those writes into one changelog
 * record per key per commit. A message's id entry, a timer key and a run of history slots (held in
 * memory until the commit, {@link DeltaHistory}) are written about once, so the cache would fold
 * nothing there and only cost its sorted-map upkeep and evictions. The cached stores are {@link
 * ThreadFlushedStore}s, so a commit sends every task's cached writes, and the held runs, before its
 * first wait for the broker.
 *
 * <p>Every changelog topic is created with {@code max.message.bytes} of {@link
 * #MAX_CHANGELOG_RECORD_BYTES}, whatever the broker's default (1 MiB on a stock cluster): an entry
 * holds one value a delta wrote, and a changelog record the broker refuses would fail its task
 * again on every retry.
 */
public final class DocumentStores {
  /** The record limit of every changelog topic; the Streams producer must allow as much. */
  public static final int MAX_CHANGELOG_RECORD_BYTES = 8 * 1024 * 1024;

  static final Map<String, String> CHANGELOG_CONFIG =
      Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_CHANGELOG_RECORD_BYTES));

  private DocumentStores() {}

  public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders() {
    return List.of(
        ThreadFlushedStore.builder(store(StoreNames.DOCS).withCachingEnabled()),
        ThreadFlushedStore.builder(store(StoreNames.META).withCachingEnabled()),
        store(StoreNames.HISTORY),
        store(StoreNames.DEDUPE),
        store(StoreNames.TIMERS));
  }

  private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withLoggingEnabled(CHANGELOG_CONFIG);
  }
}
