package io.docstream.state.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte layout of store keys. A document key never contains 0x00, so {@code doc 0x00} is a prefix
 * that no other document shares. Path segments follow, each preceded by 0x00, with 0x00 and 0x01
 * inside a segment escaped as 0x01 0x01 and 0x01 0x02; so the entries of a subtree at path P are
 * exactly the keys in [P 0x00, P 0x01).
 */
public final class KeyCodec {
  private KeyCodec() {}

  public static byte[] docPrefix(String doc) {
    byte[] d = doc.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[d.length + 1];
    System.arraycopy(d, 0, out, 0, d.length);
    return out;
  }

  /** The key of the entry at {@code path} (empty path: the document's root object). */
  public static byte[] entry(byte[] docPrefix, List<String> path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(docPrefix.length + 16 * path.size());
    out.writeBytes(docPrefix);
    for (String segment : path) {
      out.write(0);
      for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
        if (b == 0 || b == 1) {
          out.write(1);
          out.write(b + 1);
        } else {
          out.write(b);
        }
      }
    }
    return out.toByteArray();
  }

  /** Decodes the path segments of an entry key produced by {@link #entry}. */
  public static List<String> path(byte[] docPrefix, byte[] key) {
    ArrayList<String> segments = new ArrayList<>();
    ByteArrayOutputStream segment = null;
    for (int i = docPrefix.length; i < key.length; i++) {
      byte b = key[i];
      if (b == 0) {
        if (segment != null) {
          segments.add(segment.toString(StandardCharsets.UTF_8));
        }
        segment = new ByteArrayOutputStream();
      } else if (b == 1) {
        segment.write(key[++i] - 1);
      } else {
        segment.write(b);
      }
    }
    if (segment != null) {
      segments.add(segment.toString(StandardCharsets.UTF_8));
    }
    return segments;
  }

  /** Lower bound (inclusive) of the strict descendants of {@code entryKey}. */
  public static Bytes descendantsFrom(byte[] entryKey) {
    return Bytes.wrap(append(entryKey, (byte) 0));
  }

  /**
   * Upper bound (inclusive, as Kafka's range is) of the strict descendants of {@code entryKey}.
   * UTF-8 never contains 0xFF, so every descendant sorts below {@code entryKey 0x00 0xFF}.
   */
  public static Bytes descendantsTo(byte[] entryKey) {
    return Bytes.wrap(append(entryKey, (byte) 0, (byte) 0xFF));
  }

  /** {@code prefix} followed by {@code value} as 8 big-endian bytes, so order follows value. */
  public static byte[] withLong(byte[] prefix, long value) {
    byte[] out = new byte[prefix.length + 8];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    for (int i = 7; i >= 0; i--) {
      out[prefix.length + i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  public static long readLong(byte[] bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[offset + i] & 0xFF);
    }
    return v;
  }

  public static byte[] append(byte[] a, byte... b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
