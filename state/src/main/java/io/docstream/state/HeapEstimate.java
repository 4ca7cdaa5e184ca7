package io.docstream.state;

/**
 * Heap bytes that a materialised document retains, estimated from its stored entries without
 * parsing them, so that a commit can account the change from the entries it writes (the size of the
 * change, never a pass over the document).
 *
 * <p>Sizes are those of a 64-bit HotSpot JVM with compressed oops and class pointers (heaps under
 * 32 GiB): 12-byte object headers, 4-byte references, 8-byte alignment. A document's tree is
 * Jackson nodes whose objects are {@code TreeMap}s ({@code Nodes.object()}): an object member is a
 * {@code TreeMap.Entry} and its name a {@code String}; a string value a {@code TextNode} with its
 * {@code String}; an integer an {@code IntNode} (shared for -1..10), {@code LongNode} or {@code
 * BigIntegerNode}; any other number a {@code DecimalNode} (exact big decimals); {@code true},
 * {@code false} and {@code null} shared singletons; an array an {@code ArrayNode} over an {@code
 * ArrayList} sized to its elements. Every member name is counted as its own {@code String}: names
 * that came from a parsed patch are interned by Jackson and shared, so a document built by messages
 * in this process retains up to ~48 bytes per member less than estimated; names read back from the
 * store are not shared.
 */
final class HeapEstimate {
  static final int OBJECT_NODE = 24 + 48;
  static final int MEMBER = 40;
  static final int REFERENCE = 4;
  static final int TEXT_NODE = 16;
  static final int STRING = 24;
  static final int ARRAY_HEADER = 16;
  static final int ARRAY_NODE = 24 + 24 + ARRAY_HEADER + REFERENCE;
  static final int INT_NODE = 16;
  static final int LONG_NODE = 24;
  static final int BIG_INTEGER = 40 + ARRAY_HEADER;
  static final int DECIMAL_NODE = 16 + 40;

  /**
   * Per cached document besides its content: the cache's map entry (40) and table slots (~8), the
   * cache entry record (32), its meta (48) and slots (72) records, and the root object node. The
   * document's name is added by {@link #document}.
   */
  static final int DOCUMENT_OVERHEAD = 40 + 8 + 32 + 48 + 72 + OBJECT_NODE;

  private static final int MAX_DIGITS_INT = 9;
  private static final int MAX_DIGITS_LONG = 18;

  private HeapEstimate() {}

  /** The per-document overhead of a cached document named {@code doc}, without its content. */
  static long document(String doc) {
    return DOCUMENT_OVERHEAD + string(doc.length(), !isLatin1(doc));
  }

  /**
   * The heap of one stored entry once materialised: its member in the parent object (entry and
   * name) and its value (an object for an empty value, else the JSON it holds).
   */
  static long entry(byte[] key, byte[] value) {
    int nameStart = key.length;
    while (nameStart > 0 && key[nameStart - 1] != 0) {
      nameStart--;
    }
    int nameBytes = key.length - nameStart;
    long member = MEMBER + stringOfUtf8(key, nameStart, key.length, nameBytes);
    return member + (value.length == 0 ? OBJECT_NODE : json(value));
  }

  /** The heap of the Jackson tree that {@code json} (one JSON value) parses to. */
  static long json(byte[] json) {
    long total = 0;
    boolean[] inArray = new boolean[8];
    int depth = 0;
    int i = 0;
    int n = json.length;
    while (i < n) {
      byte b = json[i];
      boolean element = depth > 0 && inArray[depth - 1];
      if (b == '"') {
        int end = stringEnd(json, i + 1);
        int next = skipSpace(json, end + 1);
        boolean name = next < n && json[next] == ':';
        total += name ? MEMBER : TEXT_NODE + (element ? REFERENCE : 0);
        total += stringOfUtf8(json, i + 1, end, end - i - 1);
        i = end + 1;
      } else if (b == '{' || b == '[') {
        total += (b == '{' ? OBJECT_NODE : ARRAY_NODE) + (element ? REFERENCE : 0);
        if (depth == inArray.length) {
          inArray = java.util.Arrays.copyOf(inArray, depth * 2);
        }
        inArray[depth++] = b == '[';
        i++;
      } else if (b == '}' || b == ']') {
        depth = Math.max(0, depth - 1);
        i++;
      } else if (b == '-' || (b >= '0' && b <= '9')) {
        int end = i;
        boolean integer = true;
        while (end < n && isNumberByte(json[end])) {
          integer &= json[end] != '.' && json[end] != 'e' && json[end] != 'E';
          end++;
        }
        total += number(json, i, end, integer) + (element ? REFERENCE : 0);
        i = end;
      } else if (b == 't' || b == 'f' || b == 'n') {
        total += element ? REFERENCE : 0;
        i += b == 'f' ? 5 : 4;
      } else {
        i++;
      }
    }
    return total;
  }

  private static long number(byte[] json, int from, int to, boolean integer) {
    int digits = to - from - (json[from] == '-' ? 1 : 0);
    if (!integer) {
      return DECIMAL_NODE + (digits > MAX_DIGITS_LONG ? bigInteger(digits) : 0);
    }
    if (digits <= MAX_DIGITS_INT) {
      return small(json, from, to) ? 0 : INT_NODE;
    }
    return digits <= MAX_DIGITS_LONG ? LONG_NODE : 16 + bigInteger(digits);
  }

  /** Jackson shares the nodes of -1 to 10. */
  private static boolean small(byte[] json, int from, int to) {
    int length = to - from;
    return (length == 1)
        || (length == 2 && json[from] == '1' && json[from + 1] == '0')
        || (length == 2 && json[from] == '-' && json[from + 1] == '1');
  }

  /** A BigInteger and its int[] magnitude: log2(10) = 3.33 bits per digit. */
  private static long bigInteger(int digits) {
    long ints = (digits * 333L / 100 + 31) / 32;
    return BIG_INTEGER + align(ints * 4);
  }

  private static int stringEnd(byte[] json, int from) {
    int i = from;
    while (i < json.length && json[i] != '"') {
      i += json[i] == '\\' ? 2 : 1;
    }
    return Math.min(i, json.length);
  }

  private static int skipSpace(byte[] json, int from) {
    int i = from;
    while (i < json.length
        && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean isNumberByte(byte b) {
    return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
  }

  /**
   * A String decoded from UTF-8 bytes {@code [from, to)}: Latin-1 (one byte per char) when every
   * char is under U+0100, else UTF-16 (two per char, four for a supplementary one). An escape
   * ({@code \}) counts as its bytes, and a {@code \\u} escape makes the string UTF-16: an upper
   * bound.
   */
  private static long stringOfUtf8(byte[] utf8, int from, int to, int bytes) {
    int chars = 0;
    boolean wide = false;
    for (int i = from; i < to; i++) {
      int b = utf8[i] & 0xFF;
      if ((b & 0xC0) != 0x80) {
        chars += b >= 0xF0 ? 2 : 1;
        wide |= b >= 0xC4 || (b == '\\' && i + 1 < to && utf8[i + 1] == 'u');
      }
    }
    return bytes == 0 ? STRING + ARRAY_HEADER : string(chars, wide);
  }

  private static long string(int chars, boolean wide) {
    return STRING + align(ARRAY_HEADER + (long) chars * (wide ? 2 : 1));
  }

  private static boolean isLatin1(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
