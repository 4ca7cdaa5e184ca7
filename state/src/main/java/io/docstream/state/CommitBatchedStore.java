package io.docstream.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A RocksDB store, under the changelog layer, whose writes wait in memory until the commit's cache
 * flush and then go to RocksDB in key order, as one write batch.
 *
 * <p>Why: a store whose keys are random and written about once (a message's id entry) pays, per
 * write, RocksDB's fixed cost of a write and a skip-list insert that starts from the memtable's top
 * level. Sorted, each insert starts near the last one, and the batch pays the fixed cost once.
 * Unlike the record cache it folds nothing and sends each write to the changelog as it happens (the
 * layer above), so the changelog's records and their timestamps are those of a plain store.
 *
 * <p>Reads see the waiting writes: a point read looks in them first; a range read writes them to
 * RocksDB before it runs. The writes also go to RocksDB early once they hold {@link
 * #MAX_WAITING_BYTES}, and before Kafka Streams commits the store. A task closed or cleared without
 * a commit drops them, as it drops its uncommitted changelog records.
 *
 * <p>The hook is Kafka Streams' {@code CachedStateStore.flushCache}, which every wrapping layer
 * passes down at each commit; {@code StateStore.commit}, which comes at checkpoints, writes too.
 * Neither is needed for what reads return, only for when RocksDB gets the writes. {@code
 * CommitBatchedStoreIntegrationTest} checks on the topology's store stack that a committed
 * message's id entry is in RocksDB.
 */
public final class CommitBatchedStore
    extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
    implements KeyValueStore<Bytes, byte[]> {
  /** Bytes of keys and values waiting, past which they are written before the commit. */
  static final long MAX_WAITING_BYTES = 1024 * 1024;

  private static final byte[] DELETED = new byte[0];

  private final Map<Bytes, byte[]> waiting = new HashMap<>();
  private long waitingBytes;

  CommitBatchedStore(KeyValueStore<Bytes, byte[]> rocks) {
    super(rocks);
  }

  /** Persistent RocksDB stores named {@code name}, each under a commit batch. */
  public static KeyValueBytesStoreSupplier supplier(String name) {
    return new Supplier(Stores.persistentKeyValueStore(name));
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    drop();
    super.init(context, root);
  }

  @Override
  public void put(Bytes key, byte[] value) {
    byte[] before = waiting.put(key, value == null ? DELETED : value);
    waitingBytes += key.get().length + (value == null ? 0 : value.length);
    if (before != null) {
      waitingBytes -= key.get().length + before.length;
    }
    if (waitingBytes >= MAX_WAITING_BYTES) {
      write();
    }
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] current = get(key);
    if (current == null) {
      put(key, value);
    }
    return current;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    for (KeyValue<Bytes, byte[]> entry : entries) {
      put(entry.key, entry.value);
    }
  }

  @Override
  public byte[] delete(Bytes key) {
    byte[] current = get(key);
    put(key, null);
    return current;
  }

  @Override
  public byte[] get(Bytes key) {
    byte[] value = waiting.get(key);
    if (value == null) {
      return wrapped().get(key);
    }
    return value == DELETED ? null : value;
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    write();
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    write();
    return wrapped().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    write();
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    write();
    return wrapped().reverseAll();
  }

  @Override
  public <P extends Serializer<S>, S> KeyValueIterator<Bytes, byte[]> prefixScan(
      S prefix, P prefixKeySerializer) {
    write();
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }

  @Override
  public void flushCache() {
    write();
    super.flushCache();
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    write();
    super.commit(changelogOffsets);
  }

  @Override
  public void clearCache() {
    drop();
    super.clearCache();
  }

  @Override
  public void close() {
    drop();
    super.close();
  }

  private void write() {
    if (waiting.isEmpty()) {
      return;
    }
    List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(waiting.size());
    for (Map.Entry<Bytes, byte[]> entry : waiting.entrySet()) {
      batch.add(
          KeyValue.pair(entry.getKey(), entry.getValue() == DELETED ? null : entry.getValue()));
    }
    batch.sort((a, b) -> Arrays.compareUnsigned(a.key.get(), b.key.get()));
    drop();
    wrapped().putAll(batch);
  }

  private void drop() {
    waiting.clear();
    waitingBytes = 0;
  }

  private record Supplier(KeyValueBytesStoreSupplier rocks) implements KeyValueBytesStoreSupplier {
    @Override
    public String name() {
      return rocks.name();
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
      return new CommitBatchedStore(rocks.get());
    }

    @Override
    public String metricsScope() {
      return rocks.metricsScope();
    }
  }
}
