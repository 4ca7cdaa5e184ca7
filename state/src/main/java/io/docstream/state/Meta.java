package io.docstream.state;

import io.docstream.state.internal.KeyCodec;

/**
 * What docstream keeps about a document besides its content.
 *
 * @param seq the sequence number of the last commit (0 for a new document)
 * @param storedBytes the bytes its entries occupy in the store (keys plus values)
 * @param writing true between the first and the last store write of a commit, so that readers on
 *     other threads can tell a consistent snapshot from a torn one
 */
public record Meta(long seq, long storedBytes, boolean writing) {
  public static final Meta NEW = new Meta(0, 0, false);

  byte[] encode() {
    byte[] out = KeyCodec.withLong(KeyCodec.withLong(new byte[0], seq), storedBytes);
    return KeyCodec.append(out, (byte) (writing ? 1 : 0));
  }

  static Meta decode(byte[] bytes) {
    if (bytes == null) {
      return NEW;
    }
    return new Meta(KeyCodec.readLong(bytes, 0), KeyCodec.readLong(bytes, 8), bytes[16] == 1);
  }

  Meta withWriting(boolean flag) {
    return new Meta(seq, storedBytes, flag);
  }
}
