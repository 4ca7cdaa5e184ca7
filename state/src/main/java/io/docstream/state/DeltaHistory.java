package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import io.docstream.state.internal.Varint;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One small slot per applied message: where its delta went on the deltas topic (record timestamp
 * and partition), the document's clock after it, and the dedupe scopes of its ids. The slots serve
 * {@code ?after=S} (the deltas are read from the topic, not copied here) and the expiry of ids
 * ({@link Dedupe}).
 *
 * <p>Slots are stored in runs: the slots of consecutive seqs in one record keyed {@code doc 'r'
 * be64(first seq)}. A message extends its document's run while no cache flush (a commit) has
 * happened since the run was opened and it holds fewer than {@link #MAX_RUN_SLOTS}. Otherwise it
 * opens a run at its own seq, so runs never overlap and follow each other without a gap. Which
 * messages share a run depends only on commit timing and on when the hot cache forgot the document,
 * never on what is read.
 *
 * <p>A run is written to the store once: a document's latest run is held in memory until the
 * commit's first cache flush ({@link ThreadFlushedStore.HeldWrites}), or until the document opens
 * another run. The history's own reads see the held runs; readers of the store on other threads do
 * not, so {@link #after} answers pending for the seqs at its end whose slots it does not find. The
 * held runs are at most one per document written since the last commit.
 *
 * <p>Slots written before runs, one per message keyed {@code doc 'm' varint(seq)}, are read for the
 * seqs before {@link Meta.Slots#runsFrom} until they expire. The ring written before those ({@code
 * doc seq mod history.deltas -> seq delta}, whole deltas) is still served for the seqs it holds,
 * and deleted once the slots cover the history ({@link #purgeRing}). Its keys are 8 bytes after the
 * document's prefix, starting with 0x00; slot and run keys start with {@code 'm'} and {@code 'r'},
 * so none can be read as another.
 */
public final class DeltaHistory implements ThreadFlushedStore.HeldWrites {
  /**
   * Slots one run holds at most (about 40 B a slot with an id): bounds the record a run is written
   * as, and what a read decodes to reach one of its slots.
   */
  static final int MAX_RUN_SLOTS = 64;

  private static final byte SLOT = 'm';
  private static final byte RUN = 'r';

  /**
   * A message's slot.
   *
   * @param clockMillis the document's clock after the message
   * @param deltaTimestampMillis the timestamp of its delta record
   * @param deltaPartition the partition of the deltas topic the delta went to
   * @param scopes the dedupe scopes of its ids ({@link Dedupe}), empty without an id
   */
  record Slot(
      long clockMillis, long deltaTimestampMillis, int deltaPartition, List<byte[]> scopes) {
    byte[] encode() {
      ByteArrayOutputStream out = new ByteArrayOutputStream(32);
      Varint.writeSigned(out, clockMillis);
      Varint.writeSigned(out, clockMillis - deltaTimestampMillis);
      Varint.write(out, deltaPartition);
      for (byte[] scope : scopes) {
        Varint.write(out, scope.length);
        out.writeBytes(scope);
      }
      return out.toByteArray();
    }

    static Slot decode(byte[] bytes, int from, int to) {
      Varint.Reader in = new Varint.Reader(bytes, from, to);
      long clock = in.nextSigned();
      long ts = clock - in.nextSigned();
      int partition = (int) in.next();
      List<byte[]> scopes = new ArrayList<>(1);
      while (in.hasMore()) {
        scopes.add(in.nextBytes((int) in.next()));
      }
      return new Slot(clock, ts, partition, scopes);
    }
  }

  /**
   * The slots of seqs {@code first} to {@code end() - 1} in {@code bytes[0, length)}: each slot's
   * encoding after its length as a varint. The bytes before {@code length} never change: the store,
   * cursors and the older versions of a run share them. An append writes after them in place when
   * the array has room and this is the longest version ({@code tail}, shared by the versions made
   * from one another), else into a new array twice as long; an array full to its length, as every
   * array the store holds is, is never written again.
   */
  record Run(long first, int count, byte[] bytes, int length, Tail tail) {
    /** How far the longest of the runs sharing an array has filled it. */
    static final class Tail {
      private int length;

      private Tail(int length) {
        this.length = length;
      }
    }

    static Run of(long seq, Slot slot) {
      byte[] bytes = lengthPrefixed(slot.encode());
      return new Run(seq, 1, bytes, bytes.length, new Tail(bytes.length));
    }

    /** A run read from the store. */
    static Run decode(long first, byte[] bytes) {
      int count = 0;
      for (int offset = 0; offset < bytes.length; offset = after(bytes, offset)) {
        count++;
      }
      return new Run(first, count, bytes, bytes.length, new Tail(bytes.length));
    }

    /** Where the slot after the one at {@code offset} of {@code bytes} starts. */
    static int after(byte[] bytes, int offset) {
      Varint.Reader in = new Varint.Reader(bytes, offset);
      int length = (int) in.next();
      return in.position() + length;
    }

    /** The seq after its last slot. */
    long end() {
      return first + count;
    }

    Run append(Slot slot) {
      byte[] added = lengthPrefixed(slot.encode());
      int grown = length + added.length;
      if (tail.length == length && grown <= bytes.length) {
        System.arraycopy(added, 0, bytes, length, added.length);
        tail.length = grown;
        return new Run(first, count + 1, bytes, grown, tail);
      }
      byte[] out = Arrays.copyOf(bytes, Math.max(grown, 2 * length));
      System.arraycopy(added, 0, out, length, added.length);
      return new Run(first, count + 1, out, grown, new Tail(grown));
    }

    /** Its bytes as the store keeps them: an array of exactly its length, never written again. */
    byte[] stored() {
      return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
  }

  /** The slot of {@code seq}, whose length starts at {@code offset} of {@code run}'s bytes. */
  record Cursor(Run run, long seq, int offset) {
    Slot slot() {
      Varint.Reader in = new Varint.Reader(run.bytes(), offset);
      int length = (int) in.next();
      return Slot.decode(run.bytes(), in.position(), in.position() + length);
    }

    /** The cursor at {@code target} of the same run, or null when the run does not reach it. */
    Cursor at(long target) {
      if (target < seq || target >= run.end()) {
        return null;
      }
      int position = offset;
      for (long s = seq; s < target; s++) {
        position = Run.after(run.bytes(), position);
      }
      return new Cursor(run, target, position);
    }
  }

  /**
   * What a document's commits keep of its runs between commits, in the hot cache: the run the next
   * commit may extend, opened when the thread had made {@code flushes} cache flushes, and the
   * expiry walk's place in the slots (null until it reads one).
   */
  public record Runs(Run open, long flushes, Cursor head) {
    /** This record, its open run and that run's tail, the cursor, and two array headers. */
    private static final int OBJECTS_BYTES = 24 + 40 + 16 + 32 + 2 * 16;

    /** Heap retained, for the hot cache's bound. */
    long heapBytes() {
      long bytes = OBJECTS_BYTES + open.bytes().length;
      return head == null || head.run().bytes() == open.bytes()
          ? bytes
          : bytes + head.run().bytes().length;
    }
  }

  /** A delta the history can give: its bytes (from the old ring) or its place on the topic. */
  sealed interface Held {
    long seq();
  }

  record Copy(long seq, byte[] delta) implements Held {}

  record Located(DeltaLog.Place place) implements Held {
    @Override
    public long seq() {
      return place.seq();
    }
  }

  private final KeyValueStore<Bytes, byte[]> store;
  private final LongSupplier flushes;

  /** Per document prefix, its run not yet written to the store. */
  private final Map<Bytes, Run> heldRuns = new HashMap<>();

  /**
   * @param flushes the cache flushes the writing thread has made ({@link
   *     ThreadFlushedStore#flushes}): a run is extended only while this has not moved
   */
  public DeltaHistory(KeyValueStore<Bytes, byte[]> store, LongSupplier flushes) {
    this.store = store;
    this.flushes = flushes;
  }

  /**
   * Adds the slot of {@code seq}, the document's next seq, to its run, which is held until the
   * commit; a run it holds for the document and does not extend is written now.
   */
  Runs append(byte[] docPrefix, Runs runs, long seq, Slot slot) {
    long now = flushes.getAsLong();
    Run open = runs == null ? null : runs.open();
    Run run =
        open != null && runs.flushes() == now && open.count() < MAX_RUN_SLOTS && open.end() == seq
            ? open.append(slot)
            : Run.of(seq, slot);
    if (heldRuns.isEmpty()) {
      ThreadFlushedStore.holdUntilFlush(this);
    }
    Run before = heldRuns.put(Bytes.wrap(docPrefix), run);
    if (before != null && before.first() != run.first()) {
      store.put(runKey(docPrefix, before.first()), before.stored());
    }
    return new Runs(run, now, runs == null ? null : runs.head());
  }

  /** Writes the held runs to the store. */
  @Override
  public void writeHeld() {
    if (store.isOpen()) {
      heldRuns.forEach((prefix, run) -> store.put(runKey(prefix.get(), run.first()), run.stored()));
    }
    heldRuns.clear();
  }

  /** Forgets the held runs without writing them: the task's state is being dropped. */
  void dropHeld() {
    heldRuns.clear();
    ThreadFlushedStore.release(this);
  }

  /**
   * A cursor at the slot of {@code seq}: moved along {@code known} when its run holds it, else read
   * from the store (one slot record for a seq before {@code runsFrom}, else its run). Null when no
   * slot of {@code seq} is held.
   */
  Cursor cursor(byte[] docPrefix, Cursor known, long seq, long runsFrom) {
    Cursor moved = known == null ? null : known.at(seq);
    if (moved != null) {
      return moved;
    }
    Run open = heldRuns.get(Bytes.wrap(docPrefix));
    if (open != null && seq >= open.first() && seq < open.end()) {
      return new Cursor(open, open.first(), 0).at(seq);
    }
    Run run;
    if (seq < runsFrom) {
      byte[] slot = store.get(slotKey(docPrefix, seq));
      run = slot == null ? null : Run.decode(seq, lengthPrefixed(slot));
    } else {
      run = runAtOrBefore(store, docPrefix, seq);
    }
    return run == null ? null : new Cursor(run, run.first(), 0).at(seq);
  }

  void deleteSlot(byte[] docPrefix, long seq) {
    store.delete(slotKey(docPrefix, seq));
  }

  /**
   * Deletes the run that starts at {@code first} and returns the seq after it. Returns the first
   * seq of the next run, deleting nothing, when none starts there; {@code first} when none follows.
   */
  long deleteRun(byte[] docPrefix, long first) {
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(runKey(docPrefix, first), runKey(docPrefix, Long.MAX_VALUE))) {
      if (!it.hasNext()) {
        return first;
      }
      KeyValue<Bytes, byte[]> next = it.next();
      long start = runFirst(docPrefix, next.key);
      if (start != first) {
        return start;
      }
      store.delete(next.key);
      return Run.decode(first, next.value).end();
    }
  }

  /** Deletes the document's ring (and any history entries older than it): up to a ring's size. */
  void purgeRing(byte[] docPrefix) {
    List<Bytes> keys = new ArrayList<>();
    Bytes from = Bytes.wrap(KeyCodec.append(docPrefix, (byte) 0));
    Bytes to = Bytes.wrap(KeyCodec.withLong(KeyCodec.append(docPrefix, (byte) 0), -1L));
    try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        if (entry.key.get().length == docPrefix.length + Long.BYTES) {
          keys.add(entry.key);
        }
      }
    }
    keys.forEach(store::delete);
  }

  /**
   * The serialized deltas with seq in {@code (after, upTo]}, in seq order: those still held as
   * copies by the ring of an older build, the others read from {@code log}. Only the run from
   * {@code after + 1} without a missing seq is returned. {@link DeltasAfter.Pending} when the run
   * stops at a delta the log may still show committed (the slots record it); {@link
   * DeltasAfter.Gone} when not even {@code after + 1} can be given (older than {@code maxDeltas}
   * deltas back, no slot, no longer in the log) while the document is past {@code after}. Also
   * pending from the first seq whose slot is in a run its writer holds until the commit.
   */
  public static DeltasAfter after(
      ReadOnlyKeyValueStore<Bytes, byte[]> store,
      DeltaLog log,
      int maxDeltas,
      String doc,
      long after,
      long upTo) {
    if (upTo - after > maxDeltas) {
      return new DeltasAfter.Gone();
    }
    byte[] prefix = KeyCodec.docPrefix(doc);
    Map<Long, Slot> inRuns = slotsInRuns(store, prefix, after + 1, upTo);
    List<Held> held = new ArrayList<>();
    for (long seq = after + 1; seq <= upTo; seq++) {
      Slot s = inRuns.get(seq);
      if (s == null) {
        byte[] slot = store.get(slotKey(prefix, seq));
        s = slot == null ? null : Slot.decode(slot, 0, slot.length);
      }
      if (s != null) {
        held.add(
            new Located(new DeltaLog.Place(seq, s.deltaTimestampMillis(), s.deltaPartition())));
        continue;
      }
      byte[] copy = ringCopy(store, prefix, maxDeltas, seq);
      if (copy == null) {
        if (heldByTheWriter(store, prefix, maxDeltas, seq, upTo)) {
          return new DeltasAfter.Pending(seq);
        }
        break;
      }
      held.add(new Copy(seq, copy));
    }
    List<DeltaLog.Place> wanted = new ArrayList<>();
    for (Held h : held) {
      if (h instanceof Located l) {
        wanted.add(l.place());
      }
    }
    DeltaLog.Found read =
        wanted.isEmpty() ? new DeltaLog.Found(Map.of(), Set.of()) : log.read(doc, wanted);
    List<byte[]> run = new ArrayList<>();
    for (Held h : held) {
      byte[] delta = h instanceof Copy c ? c.delta() : read.deltas().get(h.seq());
      if (delta == null) {
        if (read.pending().contains(h.seq())) {
          return new DeltasAfter.Pending(h.seq());
        }
        break;
      }
      run.add(delta);
    }
    if (run.isEmpty() && upTo > after) {
      return new DeltasAfter.Gone();
    }
    return new DeltasAfter.Deltas(run);
  }

  /**
   * Whether the slot of {@code seq}, which the store does not hold, is in a run its writer holds
   * until the commit: no run in the store reaches past it (runs follow each other without a gap,
   * and only a document's latest is held).
   */
  static boolean heldByTheWriter(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, String doc, int maxDeltas, long seq, long upTo) {
    return heldByTheWriter(store, KeyCodec.docPrefix(doc), maxDeltas, seq, upTo);
  }

  private static boolean heldByTheWriter(
      ReadOnlyKeyValueStore<Bytes, byte[]> store,
      byte[] docPrefix,
      int maxDeltas,
      long seq,
      long upTo) {
    Run last = runAtOrBefore(store, docPrefix, Long.MAX_VALUE);
    if (last != null && last.end() > seq) {
      return false;
    }
    return store.get(slotKey(docPrefix, upTo)) == null
        && ringCopy(store, docPrefix, maxDeltas, upTo) == null;
  }

  /** The delta of {@code seq} as the ring of an older build holds it, or null. */
  private static byte[] ringCopy(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, byte[] docPrefix, int maxDeltas, long seq) {
    byte[] ring =
        store.get(Bytes.wrap(KeyCodec.withLong(docPrefix, Math.floorMod(seq, maxDeltas))));
    if (ring == null
        || ring.length <= Long.BYTES
        || KeyCodec.readLong(ring, 0) != seq
        || ring[Long.BYTES] != '{') {
      return null;
    }
    return Arrays.copyOfRange(ring, Long.BYTES, ring.length);
  }

  /** The slots the runs hold for seqs {@code from} to {@code to}. */
  private static Map<Long, Slot> slotsInRuns(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, byte[] docPrefix, long from, long to) {
    Map<Long, Slot> out = new HashMap<>();
    Run before = runAtOrBefore(store, docPrefix, from);
    long start = before == null ? from : before.first();
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(runKey(docPrefix, start), runKey(docPrefix, to))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        Run run = Run.decode(runFirst(docPrefix, entry.key), entry.value);
        for (Cursor c = new Cursor(run, run.first(), 0); c != null; c = c.at(c.seq() + 1)) {
          if (c.seq() >= from && c.seq() <= to) {
            out.put(c.seq(), c.slot());
          }
        }
      }
    }
    return out;
  }

  /**
   * The run that holds {@code seq} if any does: the one starting there, else the last one starting
   * before (which may end before it), or null.
   */
  private static Run runAtOrBefore(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, byte[] docPrefix, long seq) {
    byte[] starting = store.get(runKey(docPrefix, seq));
    if (starting != null) {
      return Run.decode(seq, starting);
    }
    try (KeyValueIterator<Bytes, byte[]> it =
        store.reverseRange(runKey(docPrefix, 0), runKey(docPrefix, seq))) {
      if (!it.hasNext()) {
        return null;
      }
      KeyValue<Bytes, byte[]> before = it.next();
      return Run.decode(runFirst(docPrefix, before.key), before.value);
    }
  }

  private static byte[] lengthPrefixed(byte[] slot) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(slot.length + 2);
    Varint.write(out, slot.length);
    out.writeBytes(slot);
    return out.toByteArray();
  }

  private static Bytes runKey(byte[] docPrefix, long first) {
    return Bytes.wrap(KeyCodec.withLong(KeyCodec.append(docPrefix, RUN), first));
  }

  private static long runFirst(byte[] docPrefix, Bytes runKey) {
    return KeyCodec.readLong(runKey.get(), docPrefix.length + 1);
  }

  private static Bytes slotKey(byte[] docPrefix, long seq) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(docPrefix.length + 4);
    out.writeBytes(docPrefix);
    out.write(SLOT);
    Varint.write(out, seq);
    return Bytes.wrap(out.toByteArray());
  }
}
