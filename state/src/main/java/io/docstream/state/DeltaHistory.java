package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import io.docstream.state.internal.Varint;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One small slot per applied message, keyed {@code doc 'm' varint(seq)}: where its delta went on
 * the deltas topic (record timestamp and partition), the document's clock after it, and the dedupe
 * scopes of its ids. The slots serve {@code ?after=S} (the deltas are read from the topic, not
 * copied here) and the expiry of ids ({@link Dedupe}).
 *
 * <p>The ring written before slots ({@code doc seq mod history.deltas -> seq delta}, whole deltas)
 * is still served for the seqs it holds, and deleted once the slots cover the history ({@link
 * #purgeRing}). Its keys are 8 bytes after the document's prefix, starting with 0x00; a slot key
 * starts with {@code 'm'}, so neither can be read as the other.
 */
public final class DeltaHistory {
  private static final byte SLOT = 'm';

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

    static Slot decode(byte[] bytes) {
      Varint.Reader in = new Varint.Reader(bytes, 0);
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

  public DeltaHistory(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void put(byte[] docPrefix, long seq, Slot slot) {
    store.put(slotKey(docPrefix, seq), slot.encode());
  }

  Slot get(byte[] docPrefix, long seq) {
    byte[] value = store.get(slotKey(docPrefix, seq));
    return value == null ? null : Slot.decode(value);
  }

  void delete(byte[] docPrefix, long seq) {
    store.delete(slotKey(docPrefix, seq));
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
   * deltas back, no slot, no longer in the log) while the document is past {@code after}.
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
    List<Held> held = new ArrayList<>();
    for (long seq = after + 1; seq <= upTo; seq++) {
      byte[] slot = store.get(slotKey(prefix, seq));
      if (slot != null) {
        Slot s = Slot.decode(slot);
        held.add(
            new Located(new DeltaLog.Place(seq, s.deltaTimestampMillis(), s.deltaPartition())));
        continue;
      }
      byte[] ring = store.get(Bytes.wrap(KeyCodec.withLong(prefix, Math.floorMod(seq, maxDeltas))));
      if (ring == null
          || ring.length <= Long.BYTES
          || KeyCodec.readLong(ring, 0) != seq
          || ring[Long.BYTES] != '{') {
        break;
      }
      held.add(new Copy(seq, java.util.Arrays.copyOfRange(ring, Long.BYTES, ring.length)));
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

  private static Bytes slotKey(byte[] docPrefix, long seq) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(docPrefix.length + 4);
    out.writeBytes(docPrefix);
    out.write(SLOT);
    Varint.write(out, seq);
    return Bytes.wrap(out.toByteArray());
  }
}
