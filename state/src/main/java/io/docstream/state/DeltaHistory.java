package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The most recent {@code maxDeltas} serialized deltas of each document, keyed by seq. */
public final class DeltaHistory {
  private final KeyValueStore<Bytes, byte[]> store;
  private final int maxDeltas;

  public DeltaHistory(KeyValueStore<Bytes, byte[]> store, int maxDeltas) {
    this.store = store;
    this.maxDeltas = maxDeltas;
  }

  void append(String doc, long seq, byte[] delta) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    store.put(Bytes.wrap(KeyCodec.withLong(prefix, seq)), delta);
    long evict = seq - maxDeltas;
    if (evict > 0) {
      store.delete(Bytes.wrap(KeyCodec.withLong(prefix, evict)));
    }
  }

  /**
   * The serialized deltas with seq in {@code (after, upTo]}, or empty when the history no longer
   * reaches back to {@code after + 1}.
   */
  public static Optional<List<byte[]>> after(
      ReadOnlyKeyValueStore<Bytes, byte[]> store, String doc, long after, long upTo) {
    List<byte[]> out = new ArrayList<>();
    if (after >= upTo) {
      return Optional.of(out);
    }
    byte[] prefix = KeyCodec.docPrefix(doc);
    long expected = after + 1;
    try (KeyValueIterator<Bytes, byte[]> it =
        store.range(
            Bytes.wrap(KeyCodec.withLong(prefix, after + 1)),
            Bytes.wrap(KeyCodec.withLong(prefix, upTo)))) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> entry = it.next();
        if (KeyCodec.readLong(entry.key.get(), prefix.length) != expected) {
          return Optional.empty();
        }
        out.add(entry.value);
        expected++;
      }
    }
    return expected == upTo + 1 ? Optional.of(out) : Optional.empty();
  }
}
