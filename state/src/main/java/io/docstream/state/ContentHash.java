package io.docstream.state;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A 64-bit hash of a document's content: the sum, modulo 2^64, of a strong hash of each of its
 * entries (key and value). A sum is updated per commit from the entries written and deleted alone,
 * so keeping it costs the size of the change, never of the document; and, being a sum of hashes of
 * distinct keys, it does not depend on the order entries are visited.
 *
 * <p>The entry hash is the first 8 bytes (big-endian) of SHA-256 over the key's length (4 bytes,
 * big-endian), the key and the value.
 */
public final class ContentHash {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(ContentHash::sha256);

  private ContentHash() {}

  /** The hash of one entry. */
  public static long entry(byte[] key, byte[] value) {
    MessageDigest digest = SHA256.get();
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(key.length).array());
    digest.update(key);
    digest.update(value);
    return ByteBuffer.wrap(digest.digest()).getLong();
  }

  /** The form deltas and snapshots carry: 16 lowercase hex digits. */
  public static String hex(long hash) {
    return HexFormat.of().toHexDigits(hash);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
