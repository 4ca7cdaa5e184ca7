package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers, per document, the seq each message id was applied at, for the last {@code
 * windowMessages} commits of that document. Entries are written in the same transaction as the
 * document change, so a resend after a crash is recognised exactly when the change survived.
 *
 * <p>Besides the id-to-seq entries, a ring of {@code windowMessages} slots per document (seq {@code
 * s} in slot {@code s mod windowMessages}) names the id each seq applied, so the commit that pushes
 * an id out of the window overwrites its slot and deletes its entry: three changelog records per
 * message where a separate put and delete of an eviction index took four. An id is never forgotten
 * early: when {@code windowMessages} is changed, slots holding seqs still inside the new window are
 * overwritten without deleting their ids, which are then kept for good.
 */
public final class Dedupe {
  private static final byte BY_ID = 'i';
  private static final byte BY_SLOT = 's';

  private final KeyValueStore<Bytes, byte[]> store;
  private final long windowMessages;

  public Dedupe(KeyValueStore<Bytes, byte[]> store, long windowMessages) {
    this.store = store;
    this.windowMessages = windowMessages;
  }

  /**
   * The seq at which {@code id} was applied to {@code doc}, if still remembered: for at least the
   * window, longer when commits without an id (timers) skipped the slot that would evict it.
   */
  public OptionalLong appliedAt(String doc, String id) {
    byte[] seq = store.get(byIdKey(KeyCodec.docPrefix(doc), id.getBytes(StandardCharsets.UTF_8)));
    return seq == null ? OptionalLong.empty() : OptionalLong.of(KeyCodec.readLong(seq, 0));
  }

  void record(String doc, String id, long seq) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    Bytes slotKey =
        Bytes.wrap(
            KeyCodec.withLong(
                KeyCodec.append(prefix, BY_SLOT), Math.floorMod(seq, windowMessages)));
    byte[] previous = store.get(slotKey);
    // a value shorter than a seq is a bare id from the layout before the ring: nothing to evict
    if (previous != null
        && previous.length >= Long.BYTES
        && KeyCodec.readLong(previous, 0) <= seq - windowMessages) {
      store.delete(byIdKey(prefix, Arrays.copyOfRange(previous, Long.BYTES, previous.length)));
    }
    store.put(slotKey, KeyCodec.append(KeyCodec.withLong(new byte[0], seq), idBytes));
    store.put(byIdKey(prefix, idBytes), KeyCodec.withLong(new byte[0], seq));
  }

  private static Bytes byIdKey(byte[] docPrefix, byte[] id) {
    return Bytes.wrap(KeyCodec.append(KeyCodec.append(docPrefix, BY_ID), id));
  }
}
