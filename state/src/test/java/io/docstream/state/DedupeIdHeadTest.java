package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The head slot's clock, remembered between commits, spares the expiry walk its read and changes
 * nothing it writes.
 */
class DedupeIdHeadTest {
  private static final long WINDOW_MILLIS = 1000;

  /** One message: its timestamp and whether it has an id. */
  record Message(long ts, boolean withId) {}

  @Test
  void shouldNotReadTheHeadSlotAgainWhileItsIdIsInTheWindow() {
    AtomicInteger slotReads = new AtomicInteger();
    Dedupe dedupe =
        new Dedupe(
            Stores.inMemory("dedupe"),
            new DeltaHistory(countingGets(Stores.inMemory("history"), slotReads)),
            2,
            2,
            WINDOW_MILLIS,
            1_000_000);
    Dedupe.Recorded at = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    for (int seq = 1; seq <= 50; seq++) {
      at = record(dedupe, at, seq, new Message(seq, true), true);
    }

    assertThat(at.slots().idHead()).as("every id is younger than the time window").isEqualTo(1);
    assertThat(slotReads).as("one read of the head slot, then its remembered clock").hasValue(1);
  }

  @Property(tries = 200)
  void shouldWriteWhatTheWalkWithoutTheClockWrites(
      @ForAll("messages") List<Message> messages, @ForAll boolean dropBetween) {
    KeyValueStore<Bytes, byte[]> plainIds = Stores.inMemory("plain-ids");
    KeyValueStore<Bytes, byte[]> plainSlots = Stores.inMemory("plain-slots");
    KeyValueStore<Bytes, byte[]> ids = Stores.inMemory("ids");
    KeyValueStore<Bytes, byte[]> slots = Stores.inMemory("slots");
    Dedupe plain = new Dedupe(plainIds, new DeltaHistory(plainSlots), 3, 4, WINDOW_MILLIS, 6);
    Dedupe remembering = new Dedupe(ids, new DeltaHistory(slots), 3, 4, WINDOW_MILLIS, 6);
    Dedupe.Recorded plainAt = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    Dedupe.Recorded at = plainAt;
    long seq = 0;
    for (Message message : messages) {
      seq++;
      plainAt = record(plain, plainAt, seq, message, false);
      at = record(remembering, at, seq, message, true);
      if (dropBetween && seq % 7 == 0) {
        at = new Dedupe.Recorded(at.slots(), null);
      }
      assertThat(at.slots()).isEqualTo(plainAt.slots());
    }
    assertThat(contents(ids)).isEqualTo(contents(plainIds));
    assertThat(contents(slots)).isEqualTo(contents(plainSlots));
  }

  @Provide
  Arbitrary<List<Message>> messages() {
    Arbitrary<Long> steps = Arbitraries.longs().between(0, 700);
    return Combinators.combine(steps, Arbitraries.of(true, true, false))
        .as(Message::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(60)
        .map(DedupeIdHeadTest::accumulate);
  }

  /** Turns each message's step into a timestamp: a clock that moves on by 0-700 ms a message. */
  private static List<Message> accumulate(List<Message> steps) {
    List<Message> out = new ArrayList<>(steps.size());
    long ts = 0;
    for (Message step : steps) {
      ts += step.ts();
      out.add(new Message(ts, step.withId()));
    }
    return out;
  }

  private static Dedupe.Recorded record(
      Dedupe dedupe, Dedupe.Recorded at, long seq, Message message, boolean remember) {
    return dedupe.record(
        "json/a",
        at.slots(),
        remember ? at.idHead() : null,
        seq,
        message.ts(),
        new DeltaLocation(message.ts(), 0),
        "a",
        message.withId() ? List.of("m" + seq) : List.of());
  }

  private static List<String> contents(KeyValueStore<Bytes, byte[]> store) {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        out.add(entry.key + "=" + Bytes.wrap(entry.value));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static KeyValueStore<Bytes, byte[]> countingGets(
      KeyValueStore<Bytes, byte[]> store, AtomicInteger gets) {
    return (KeyValueStore<Bytes, byte[]>)
        Proxy.newProxyInstance(
            KeyValueStore.class.getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("get")) {
                gets.incrementAndGet();
              }
              return method.invoke(store, args);
            });
  }
}
