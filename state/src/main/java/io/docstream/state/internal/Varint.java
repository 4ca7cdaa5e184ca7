package io.docstream.state.internal;

import java.io.ByteArrayOutputStream;

/**
 * Unsigned LEB128 varints, and zigzag for signed values: small numbers take one byte. Each encoding
 * is prefix-free, so a varint at the end of a key keeps distinct values' keys distinct.
 */
public final class Varint {
  private Varint() {}

  public static void write(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static void writeSigned(ByteArrayOutputStream out, long value) {
    write(out, (value << 1) ^ (value >> 63));
  }

  /** Reads varints from a byte array, front to back, up to an end. */
  public static final class Reader {
    private final byte[] bytes;
    private final int end;
    private int position;

    public Reader(byte[] bytes, int from) {
      this(bytes, from, bytes.length);
    }

    public Reader(byte[] bytes, int from, int end) {
      this.bytes = bytes;
      this.end = end;
      this.position = from;
    }

    public long next() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }

    public long nextSigned() {
      long raw = next();
      return (raw >>> 1) ^ -(raw & 1);
    }

    public byte[] nextBytes(int length) {
      byte[] out = new byte[length];
      System.arraycopy(bytes, position, out, 0, length);
      position += length;
      return out;
    }

    public boolean hasMore() {
      return position < end;
    }

    public int position() {
      return position;
    }
  }
}
