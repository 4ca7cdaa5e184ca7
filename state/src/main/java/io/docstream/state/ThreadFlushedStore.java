package io.docstream.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A record-cached store whose cache flush for a commit also flushes every other store of this kind
 * written on the same stream thread since its last flush.
 *
 * <p>Why: a commit prepares the thread's tasks one after the other, and for each task flushes its
 * caches and then waits until the producer has every record in flight acknowledged ({@code
 * StreamTask.flush}). With cached writes in six tasks a commit waits for six broker round trips in
 * a row. Flushing every task's caches at the first task's turn puts all their records in flight
 * before the first wait; at their own turns the other tasks find their caches clean and nothing
 * left to wait for. The records are the same, and so is the transaction they are in: under
 * exactly_once_v2 a thread commits every task that processed anything in one transaction (a commit
 * of a subset would already split the tasks' output records), so a record sent at another task's
 * turn commits or aborts with its own task's input offsets.
 *
 * <p>A store's own flush always flushes its own cache, so an early flush is only ever a head start.
 * A failure while flushing another task's cache is not caught: its cache has marked the entries
 * clean, so the commit must fail, as it would at that task's turn.
 *
 * <p>Writes a task holds back until its commit ({@link HeldWrites}) are handed to the stores at the
 * first flush of the commit, before any store's cache is flushed, so they go out with the rest.
 *
 * <p>The hook is Kafka Streams' {@code CachedStateStore.flushCache}, reached through the internal
 * {@link WrappedStateStore}; {@code ThreadFlushedStoreIntegrationTest} checks on a real topology
 * that the hook is still called on the version in use.
 */
public final class ThreadFlushedStore
    extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
    implements KeyValueStore<Bytes, byte[]> {
  private static final ThreadLocal<List<ThreadFlushedStore>> WRITTEN =
      ThreadLocal.withInitial(ArrayList::new);
  private static final ThreadLocal<long[]> FLUSHES = ThreadLocal.withInitial(() -> new long[1]);
  private static final ThreadLocal<List<HeldWrites>> HELD = ThreadLocal.withInitial(ArrayList::new);

  /** Writes held in memory until the commit, written into this thread's stores at its flush. */
  public interface HeldWrites {
    /** Puts the held writes into their stores; called once per {@link #holdUntilFlush}. */
    void writeHeld();
  }

  private boolean written;

  ThreadFlushedStore(KeyValueStore<Bytes, byte[]> cached) {
    super(cached);
  }

  /** Wraps the stores {@code cached} builds; it must have the record cache enabled. */
  public static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(
      StoreBuilder<KeyValueStore<Bytes, byte[]>> cached) {
    return new Builder(cached);
  }

  /**
   * How many times a store of this kind has had its cache flushed on the calling thread; every
   * commit moves it. A key put again before it moves is sent to the changelog once, unless the
   * cache, when full, evicts it in between.
   */
  public static long flushes() {
    return FLUSHES.get()[0];
  }

  /**
   * Has {@code held} write its writes at the calling thread's next cache flush, before the caches
   * are flushed. Register it again after each such flush that it should see.
   */
  public static void holdUntilFlush(HeldWrites held) {
    HELD.get().add(held);
  }

  /** Forgets {@code held}: its writes will never be written (its task's state is dropped). */
  public static void release(HeldWrites held) {
    HELD.get().remove(held);
  }

  @Override
  public void flushCache() {
    FLUSHES.get()[0]++;
    List<HeldWrites> held = HELD.get();
    if (!held.isEmpty()) {
      List<HeldWrites> batch = List.copyOf(held);
      held.clear();
      batch.forEach(HeldWrites::writeHeld);
    }
    List<ThreadFlushedStore> stores = WRITTEN.get();
    if (!stores.isEmpty()) {
      List<ThreadFlushedStore> batch = List.copyOf(stores);
      stores.clear();
      for (ThreadFlushedStore store : batch) {
        store.written = false;
        if (store != this && store.isOpen()) {
          store.flushOwnCache();
        }
      }
    }
    written = false;
    flushOwnCache();
  }

  private void flushOwnCache() {
    super.flushCache();
  }

  private void written() {
    if (!written) {
      written = true;
      WRITTEN.get().add(this);
    }
  }

  @Override
  public void put(Bytes key, byte[] value) {
    written();
    wrapped().put(key, value);
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    written();
    return wrapped().putIfAbsent(key, value);
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    written();
    wrapped().putAll(entries);
  }

  @Override
  public byte[] delete(Bytes key) {
    written();
    return wrapped().delete(key);
  }

  @Override
  public byte[] get(Bytes key) {
    return wrapped().get(key);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return wrapped().reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return wrapped().reverseAll();
  }

  @Override
  public <P extends Serializer<S>, S> KeyValueIterator<Bytes, byte[]> prefixScan(
      S prefix, P prefixKeySerializer) {
    return wrapped().prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }

  @Override
  public void close() {
    if (written) {
      written = false;
      WRITTEN.get().remove(this);
    }
    super.close();
  }

  private record Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> cached)
      implements StoreBuilder<KeyValueStore<Bytes, byte[]>> {
    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingEnabled() {
      return new Builder(cached.withCachingEnabled());
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withCachingDisabled() {
      return new Builder(cached.withCachingDisabled());
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingEnabled(
        Map<String, String> config) {
      return new Builder(cached.withLoggingEnabled(config));
    }

    @Override
    public StoreBuilder<KeyValueStore<Bytes, byte[]>> withLoggingDisabled() {
      return new Builder(cached.withLoggingDisabled());
    }

    @Override
    public KeyValueStore<Bytes, byte[]> build() {
      return new ThreadFlushedStore(cached.build());
    }

    @Override
    public Map<String, String> logConfig() {
      return cached.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return cached.loggingEnabled();
    }

    @Override
    public String name() {
      return cached.name();
    }
  }
}
