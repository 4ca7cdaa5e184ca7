package io.docstream.document;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** RFC 6901 JSON Pointers: {@code "/a~1b/0"} is the segments {@code ["a/b", "0"]}. */
public final class Pointer {
  private Pointer() {}

  /**
   * The unescaped segments of {@code pointer}; the root {@code ""} has none.
   *
   * @throws DocstreamException with {@code PATH_INVALID} when the pointer does not start with
   *     {@code /} or has a {@code ~} not followed by {@code 0} or {@code 1}
   */
  public static List<String> parse(String pointer) {
    if (pointer == null || (!pointer.isEmpty() && pointer.charAt(0) != '/')) {
      throw new DocstreamException(ErrorCode.PATH_INVALID, "not a JSON Pointer: " + pointer);
    }
    List<String> segments = new ArrayList<>();
    int start = 1;
    while (start <= pointer.length()) {
      int end = pointer.indexOf('/', start);
      if (end < 0) {
        end = pointer.length();
      }
      segments.add(unescape(pointer, start, end));
      start = end + 1;
    }
    return Collections.unmodifiableList(segments);
  }

  /** The pointer naming {@code segments}, escaping {@code ~} and {@code /}. */
  public static String format(List<String> segments) {
    StringBuilder pointer = new StringBuilder();
    for (String segment : segments) {
      pointer.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }

  /**
   * The array index a segment names, or -1 when it is not a decimal number without leading zeros
   * (such as {@code "-"}, {@code "01"} or {@code "x"}).
   */
  public static int index(String segment) {
    int length = segment.length();
    if (length == 0 || length > 9 || (length > 1 && segment.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < length; i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Integer.parseInt(segment);
  }

  private static String unescape(String pointer, int start, int end) {
    int tilde = pointer.indexOf('~', start);
    if (tilde < 0 || tilde >= end) {
      return pointer.substring(start, end);
    }
    StringBuilder segment = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = pointer.charAt(i);
      if (c != '~') {
        segment.append(c);
      } else if (i + 1 < end && pointer.charAt(i + 1) == '0') {
        segment.append('~');
        i++;
      } else if (i + 1 < end && pointer.charAt(i + 1) == '1') {
        segment.append('/');
        i++;
      } else {
        throw new DocstreamException(
            ErrorCode.PATH_INVALID, "'~' must be followed by 0 or 1 in JSON Pointer: " + pointer);
      }
    }
    return segment.toString();
  }
}
