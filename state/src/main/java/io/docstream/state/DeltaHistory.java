package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The most recent {@code maxDeltas} serialized deltas of each document, in a ring of {@code
 * maxDeltas} slots per document: seq {@code s} lives in slot {@code s mod maxDeltas}, stored with
 * its seq. A commit overwrites the slot of the delta that falls out of the history, one changelog
 * record where a put and a delete would take two. When {@code maxDeltas} is changed, deltas from
 * before the change are no longer found (a resume from there gets a reset), never a wrong one.
 */
public final class DeltaHistory {
  private final KeyValueStore<Bytes, byte[]> store;
  private final int maxDeltas;

  public DeltaHistory(KeyValueStore<Bytes, byte[]> store, int maxDeltas) {
    this.store = store;
    this.maxDeltas = maxDeltas;
  }

  void append(String doc, long seq, byte[] delta) {
    store.put(
        slotKey(KeyCodec.docPrefix(doc), seq, maxDeltas),
        KeyCodec.append(KeyCodec.withLong(new byte[0], seq), delta));
  }

  /**
   * The serialized deltas with seq in {@code (after, upTo]}, or empty when the history of {@code
   * maxDeltas} deltas no longer reaches back to {@code after + 1}.
   */
  public static Optional<List<byte[]>> after(
      ReadOnlyKeyValueStore<Bytes, byte[]> store,
      int maxDeltas,
      String doc,
      long after,
      long upTo) {
    if (upTo - after > maxDeltas) {
      return Optional.empty();
    }
    byte[] prefix = KeyCodec.docPrefix(doc);
    List<byte[]> out = new ArrayList<>();
    for (long seq = after + 1; seq <= upTo; seq++) {
      byte[] slot = store.get(slotKey(prefix, seq, maxDeltas));
      if (slot == null || slot.length < Long.BYTES || KeyCodec.readLong(slot, 0) != seq) {
        return Optional.empty();
      }
      out.add(Arrays.copyOfRange(slot, Long.BYTES, slot.length));
    }
    return Optional.of(out);
  }

  private static Bytes slotKey(byte[] docPrefix, long seq, int maxDeltas) {
    return Bytes.wrap(KeyCodec.withLong(docPrefix, Math.floorMod(seq, maxDeltas)));
  }
}
