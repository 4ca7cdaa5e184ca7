package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreadFlushedStoreTest {
  private static final Bytes KEY = Bytes.wrap(new byte[] {1});

  /** A cached store that counts its cache flushes and, like Kafka's, refuses them once closed. */
  private static final class Cache {
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final ThreadFlushedStore store;

    Cache() {
      @SuppressWarnings("unchecked")
      KeyValueStore<Bytes, byte[]> inner =
          (KeyValueStore<Bytes, byte[]>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {KeyValueStore.class, CachedStateStore.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "flushCache" -> {
                          if (closed.get()) {
                            throw new InvalidStateStoreException("closed");
                          }
                          flushes.incrementAndGet();
                          yield null;
                        }
                        case "close" -> {
                          closed.set(true);
                          yield null;
                        }
                        case "isOpen" -> !closed.get();
                        default -> null;
                      });
      store = new ThreadFlushedStore(inner);
    }
  }

  @BeforeEach
  void forgetWritesOfEarlierTests() {
    new Cache().store.flushCache();
  }

  @Test
  void shouldFlushEveryStoreWrittenOnThisThreadAtTheFirstFlush() {
    Cache a = new Cache();
    Cache b = new Cache();
    Cache untouched = new Cache();
    a.store.put(KEY, new byte[] {1});
    b.store.delete(KEY);

    a.store.flushCache();

    assertThat(a.flushes).hasValue(1);
    assertThat(b.flushes).hasValue(1);
    assertThat(untouched.flushes).hasValue(0);
  }

  @Test
  void shouldStillFlushItsOwnCacheAtItsOwnTurn() {
    Cache a = new Cache();
    Cache b = new Cache();
    a.store.put(KEY, new byte[] {1});
    b.store.put(KEY, new byte[] {2});
    a.store.flushCache();

    b.store.flushCache();

    assertThat(a.flushes).hasValue(1);
    assertThat(b.flushes).hasValue(2);
  }

  @Test
  void shouldLeaveWritesOfAnotherThreadToThatThread() throws Exception {
    Cache here = new Cache();
    Cache elsewhere = new Cache();
    here.store.put(KEY, new byte[] {1});
    CompletableFuture.runAsync(() -> elsewhere.store.put(KEY, new byte[] {2})).get();

    here.store.flushCache();

    assertThat(here.flushes).hasValue(1);
    assertThat(elsewhere.flushes).hasValue(0);
  }

  @Test
  void shouldSkipAStoreClosedSinceItWasWritten() throws Exception {
    Cache open = new Cache();
    Cache closedElsewhere = new Cache();
    open.store.put(KEY, new byte[] {1});
    closedElsewhere.store.put(KEY, new byte[] {2});
    CompletableFuture.runAsync(closedElsewhere.store::close).get();

    open.store.flushCache();

    assertThat(open.flushes).hasValue(1);
    assertThat(closedElsewhere.flushes).hasValue(0);
  }

  @Test
  void shouldHaveHeldWritesWrittenBeforeTheCachesAreFlushedOncePerHold() {
    Cache a = new Cache();
    Cache b = new Cache();
    List<String> events = new ArrayList<>();
    ThreadFlushedStore.HeldWrites held =
        () -> {
          events.add("held written, b flushed " + b.flushes.get() + " times");
          b.store.put(KEY, new byte[] {3});
        };
    ThreadFlushedStore.holdUntilFlush(held);
    a.store.put(KEY, new byte[] {1});

    a.store.flushCache();
    a.store.flushCache();

    assertThat(events).containsExactly("held written, b flushed 0 times");
    assertThat(b.flushes).as("the held write reached b before the caches were flushed").hasValue(1);
  }

  @Test
  void shouldNeverWriteReleasedHeldWrites() {
    Cache a = new Cache();
    AtomicInteger written = new AtomicInteger();
    ThreadFlushedStore.HeldWrites held = written::incrementAndGet;
    ThreadFlushedStore.holdUntilFlush(held);
    ThreadFlushedStore.release(held);

    a.store.flushCache();

    assertThat(written).hasValue(0);
  }
}
