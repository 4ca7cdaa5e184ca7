package io.docstream.state;

import io.docstream.state.internal.KeyCodec;

/**
 * What docstream keeps about a document besides its content.
 *
 * @param seq the sequence number of the last commit (0 for a new document)
 * @param storedBytes the bytes its entries occupy in the store (keys plus values)
 * @param writing true between the first and the last store write of a commit, so that readers on
 *     other threads can tell a consistent snapshot from a torn one
 * @param hash the {@link ContentHash} of the document's entries
 * @param legacy true for meta written by a build before hashes and the dedupe queue: its {@code
 *     hash} is not stored (0, or computed when the document was loaded) and its dedupe entries are
 *     in the old layout, purged by the next commit
 * @param dedupe the document's dedupe queue
 */
public record Meta(
    long seq, long storedBytes, boolean writing, long hash, boolean legacy, DedupeQueue dedupe) {
  public static final Meta NEW = new Meta(0, 0, false, 0, false, DedupeQueue.EMPTY);

  private static final int LEGACY_BYTES = 17;

  /**
   * Where a document's dedupe queue stands.
   *
   * @param head the position of the oldest remembered id
   * @param tail the position the next id takes
   * @param clockMillis the greatest message timestamp the document has committed, the clock by
   *     which ids expire (monotonic, so one far-off timestamp cannot block expiry)
   */
  public record DedupeQueue(long head, long tail, long clockMillis) {
    public static final DedupeQueue EMPTY = new DedupeQueue(0, 0, Long.MIN_VALUE);
  }

  byte[] encode() {
    byte[] out = KeyCodec.withLong(KeyCodec.withLong(new byte[0], seq), storedBytes);
    out = KeyCodec.append(out, (byte) (writing ? 1 : 0));
    out = KeyCodec.withLong(KeyCodec.withLong(out, hash), dedupe.head());
    return KeyCodec.withLong(KeyCodec.withLong(out, dedupe.tail()), dedupe.clockMillis());
  }

  static Meta decode(byte[] bytes) {
    if (bytes == null) {
      return NEW;
    }
    long seq = KeyCodec.readLong(bytes, 0);
    long storedBytes = KeyCodec.readLong(bytes, 8);
    boolean writing = bytes[16] == 1;
    if (bytes.length == LEGACY_BYTES) {
      return new Meta(seq, storedBytes, writing, 0, true, DedupeQueue.EMPTY);
    }
    return new Meta(
        seq,
        storedBytes,
        writing,
        KeyCodec.readLong(bytes, 17),
        false,
        new DedupeQueue(
            KeyCodec.readLong(bytes, 25),
            KeyCodec.readLong(bytes, 33),
            KeyCodec.readLong(bytes, 41)));
  }

  Meta withWriting(boolean flag) {
    return new Meta(seq, storedBytes, flag, hash, legacy, dedupe);
  }

  Meta withHash(long value) {
    return new Meta(seq, storedBytes, writing, value, legacy, dedupe);
  }
}
