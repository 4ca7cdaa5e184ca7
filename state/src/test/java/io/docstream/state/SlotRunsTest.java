package io.docstream.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The expiry walk's place in the slots, remembered between commits, spares it its reads and changes
 * nothing it writes; where commits cut the runs, and when the hot cache forgets a document's runs,
 * changes nothing a reader or the dedupe window sees.
 */
class SlotRunsTest {
  private static final long WINDOW_MILLIS = 1000;

  /** One message: its timestamp and whether it has an id. */
  record Message(long ts, boolean withId) {}

  @Test
  void shouldNotReadTheHeadSlotAgainWhileItsIdIsInTheWindow() {
    AtomicInteger slotReads = new AtomicInteger();
    AtomicLong commits = new AtomicLong();
    Dedupe dedupe =
        new Dedupe(
            Stores.inMemory("dedupe"),
            new DeltaHistory(
                countingReads(Stores.inMemory("history"), slotReads), commits::incrementAndGet),
            2,
            2,
            WINDOW_MILLIS,
            1_000_000);
    Dedupe.Recorded at = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    for (int seq = 1; seq <= 50; seq++) {
      at = record(dedupe, at, seq, new Message(seq, true));
    }

    assertThat(at.slots().idHead()).as("every id is younger than the time window").isEqualTo(1);
    assertThat(slotReads)
        .as("the head slot is found in the run held for the commit, then remembered")
        .hasValue(0);
  }

  @Test
  void shouldEndARunAtEachCommitAndAtItsMostSlots() {
    KeyValueStore<Bytes, byte[]> slots = Stores.inMemory("history");
    AtomicLong commits = new AtomicLong();
    DeltaHistory history = new DeltaHistory(slots, commits::get);
    Dedupe dedupe =
        new Dedupe(Stores.inMemory("dedupe"), history, 1000, 1000, WINDOW_MILLIS, 1_000_000);
    Dedupe.Recorded at = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    for (int seq = 1; seq <= 200; seq++) {
      at = record(dedupe, at, seq, new Message(seq, seq % 3 == 0));
      if (seq % 100 == 0) {
        commit(history, commits);
      }
    }
    assertThat(Stores.runLengths(slots)).containsExactly(64, 36, 64, 36);
  }

  @Test
  void shouldHoldTheOpenRunUntilTheCommitAndServeItsSeqsAsPending() {
    KeyValueStore<Bytes, byte[]> slots = Stores.inMemory("history");
    AtomicLong commits = new AtomicLong();
    DeltaHistory history = new DeltaHistory(slots, commits::get);
    Dedupe dedupe = new Dedupe(Stores.inMemory("dedupe"), history, 1000, 3, 0, 1_000_000);
    Dedupe.Recorded at = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    for (int seq = 1; seq <= 70; seq++) {
      at = record(dedupe, at, seq, new Message(seq, true));
    }
    assertThat(Stores.runLengths(slots))
        .as("the full run is written when the next opens; the open one is held")
        .containsExactly(64);
    assertThat(at.slots().idHead())
        .as("the expiry walk read the held run's slots: ids up to 67 left the 3-message window")
        .isEqualTo(68);
    assertThat(at.slots().idCount()).isEqualTo(3);
    assertThat(dedupe.appliedAt("json/a", "a", "m67")).isEmpty();
    assertThat(dedupe.appliedAt("json/a", "a", "m68")).hasValue(68);
    assertThat(deltasAfter(slots, 60, 70)).containsExactly("Pending[seq=65]");

    commit(history, commits);
    assertThat(Stores.runLengths(slots)).containsExactly(64, 6);
    assertThat(deltasAfter(slots, 68, 70)).containsExactly("69:69", "70:70");
  }

  @Property(tries = 200)
  void shouldWriteWhatTheWalkWithoutItsPlaceWrites(
      @ForAll("messages") List<Message> messages,
      @ForAll boolean dropBetween,
      @ForAll @IntRange(min = 1, max = 70) int messagesPerCommit) {
    KeyValueStore<Bytes, byte[]> plainIds = Stores.inMemory("plain-ids");
    KeyValueStore<Bytes, byte[]> plainSlots = Stores.inMemory("plain-slots");
    KeyValueStore<Bytes, byte[]> ids = Stores.inMemory("ids");
    KeyValueStore<Bytes, byte[]> slots = Stores.inMemory("slots");
    AtomicLong commits = new AtomicLong();
    DeltaHistory plainHistory = new DeltaHistory(plainSlots, commits::get);
    DeltaHistory history = new DeltaHistory(slots, commits::get);
    Dedupe plain = new Dedupe(plainIds, plainHistory, 3, 4, WINDOW_MILLIS, 6);
    Dedupe remembering = new Dedupe(ids, history, 3, 4, WINDOW_MILLIS, 6);
    Dedupe.Recorded plainAt = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    Dedupe.Recorded at = plainAt;
    long seq = 0;
    for (Message message : messages) {
      seq++;
      plainAt = record(plain, withoutHead(plainAt), seq, message);
      at = record(remembering, at, seq, message);
      if (dropBetween && seq % 7 == 0) {
        at = withoutHead(at);
      }
      if (seq % messagesPerCommit == 0) {
        plainHistory.writeHeld();
        commit(history, commits);
      }
      assertThat(at.slots()).isEqualTo(plainAt.slots());
    }
    plainHistory.writeHeld();
    history.writeHeld();
    assertThat(contents(ids)).isEqualTo(contents(plainIds));
    assertThat(contents(slots)).isEqualTo(contents(plainSlots));
  }

  /**
   * Against one run per message (a commit per message): commits of random size and a hot cache that
   * forgets the document at random give the same ids and expiry after every message, and after each
   * commit the same deltas after any seq the history must serve and no more slots than with one run
   * per message; between commits, the seqs of the held run are pending, the others the same.
   */
  @Property(tries = 300)
  void shouldServeTheSameWhereverCommitsCutTheRuns(
      @ForAll("messages") List<Message> messages,
      @ForAll @IntRange(min = 1, max = 90) int messagesPerCommit,
      @ForAll @IntRange(min = 0, max = 9) int forgetEvery) {
    int historyDeltas = 5;
    KeyValueStore<Bytes, byte[]> singleIds = Stores.inMemory("single-ids");
    KeyValueStore<Bytes, byte[]> singleSlots = Stores.inMemory("single-slots");
    KeyValueStore<Bytes, byte[]> ids = Stores.inMemory("ids");
    KeyValueStore<Bytes, byte[]> slots = Stores.inMemory("slots");
    AtomicLong eachCall = new AtomicLong();
    AtomicLong commits = new AtomicLong();
    DeltaHistory singleHistory = new DeltaHistory(singleSlots, eachCall::incrementAndGet);
    DeltaHistory history = new DeltaHistory(slots, commits::get);
    Dedupe single = new Dedupe(singleIds, singleHistory, historyDeltas, 4, WINDOW_MILLIS, 6);
    Dedupe cut = new Dedupe(ids, history, historyDeltas, 4, WINDOW_MILLIS, 6);
    Dedupe.Recorded singleAt = new Dedupe.Recorded(Meta.Slots.EMPTY, null);
    Dedupe.Recorded at = singleAt;
    long seq = 0;
    long committed = 0;
    for (Message message : messages) {
      seq++;
      singleAt = record(single, singleAt, seq, message);
      singleHistory.writeHeld();
      at = record(cut, at, seq, message);
      if (seq % messagesPerCommit == 0) {
        commit(history, commits);
        committed = seq;
      }
      if (forgetEvery > 0 && seq % forgetEvery == 0) {
        at = new Dedupe.Recorded(at.slots(), null);
      }
      Meta.Slots s = at.slots();
      assertThat(withoutSlotHead(s)).isEqualTo(withoutSlotHead(singleAt.slots()));
      for (long after = Math.max(0, seq - historyDeltas); after <= seq; after++) {
        List<String> expected = deltasAfter(singleSlots, after, seq);
        List<String> served = deltasAfter(slots, after, seq);
        if (committed == seq) {
          assertThat(served).as("after %d at seq %d", after, seq).isEqualTo(expected);
        } else if (!served.equals(expected)) {
          long first = committed + 1;
          assertThat(answer(slots, after, seq))
              .as("after %d at seq %d, committed up to %d", after, seq, committed)
              .isInstanceOfSatisfying(
                  DeltasAfter.Pending.class,
                  p -> assertThat(p.seq()).isGreaterThanOrEqualTo(first));
        }
      }
      if (committed == seq) {
        long needed = seq - Math.min(s.idHead(), seq - historyDeltas + 1) + 1;
        assertThat(Stores.slotsHeld(slots))
            .as("slots held at seq %d: what the windows need, at most one run per message's", seq)
            .isBetween(Math.min(needed, seq), Stores.slotsHeld(singleSlots));
      }
      assertThat(Stores.runLengths(slots)).allMatch(n -> n <= DeltaHistory.MAX_RUN_SLOTS);
    }
    assertThat(contents(ids)).isEqualTo(contents(singleIds));
  }

  @Provide
  Arbitrary<List<Message>> messages() {
    Arbitrary<Long> steps = Arbitraries.longs().between(0, 700);
    return Combinators.combine(steps, Arbitraries.of(true, true, false))
        .as(Message::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(150)
        .map(SlotRunsTest::accumulate);
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
      Dedupe dedupe, Dedupe.Recorded at, long seq, Message message) {
    return dedupe.record(
        "json/a",
        at.slots(),
        at.runs(),
        seq,
        message.ts(),
        new DeltaLocation(message.ts(), 0),
        "a",
        message.withId() ? List.of("m" + seq) : List.of());
  }

  /** What a commit's first cache flush does to the history: writes its held runs. */
  private static void commit(DeltaHistory history, AtomicLong commits) {
    history.writeHeld();
    commits.incrementAndGet();
  }

  private static Dedupe.Recorded withoutHead(Dedupe.Recorded at) {
    DeltaHistory.Runs runs = at.runs();
    return runs == null
        ? at
        : new Dedupe.Recorded(at.slots(), new DeltaHistory.Runs(runs.open(), runs.flushes(), null));
  }

  private static Meta.Slots withoutSlotHead(Meta.Slots s) {
    return new Meta.Slots(
        0,
        s.idHead(),
        s.idCount(),
        s.clockMillis(),
        s.queueHead(),
        s.queueTail(),
        s.ringUntil(),
        s.runsFrom());
  }

  /** The places of the deltas the history serves after {@code after}, as seq:timestamp. */
  private static List<String> deltasAfter(KeyValueStore<Bytes, byte[]> slots, long after, long to) {
    DeltasAfter answer = answer(slots, after, to);
    if (!(answer instanceof DeltasAfter.Deltas deltas)) {
      return List.of(answer.toString());
    }
    return deltas.deltas().stream().map(b -> new String(b, UTF_8)).toList();
  }

  /** What the history answers for the deltas after {@code after}, the log holding every place. */
  private static DeltasAfter answer(KeyValueStore<Bytes, byte[]> slots, long after, long to) {
    DeltaLog everyPlace =
        (doc, wanted) -> {
          Map<Long, byte[]> found = new HashMap<>();
          for (DeltaLog.Place p : wanted) {
            found.put(p.seq(), (p.seq() + ":" + p.timestampMillis()).getBytes(UTF_8));
          }
          return new DeltaLog.Found(found, Set.of());
        };
    return DeltaHistory.after(slots, everyPlace, 1000, "json/a", after, to);
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
  private static KeyValueStore<Bytes, byte[]> countingReads(
      KeyValueStore<Bytes, byte[]> store, AtomicInteger reads) {
    return (KeyValueStore<Bytes, byte[]>)
        Proxy.newProxyInstance(
            KeyValueStore.class.getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) -> {
              if (Set.of("get", "range", "reverseRange").contains(method.getName())) {
                reads.incrementAndGet();
              }
              return method.invoke(store, args);
            });
  }
}
