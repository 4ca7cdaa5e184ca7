package io.docstream.spaces.internal;

/** Builds JSON Pointers (RFC 6901) from raw member names, escaping {@code ~} and {@code /}. */
public final class Pointers {
  private Pointers() {}

  /** {@code pointer("hands", "a/b")} is {@code "/hands/a~1b"}. */
  public static String pointer(String... segments) {
    StringBuilder sb = new StringBuilder();
    for (String segment : segments) {
      sb.append('/').append(escape(segment));
    }
    return sb.toString();
  }

  /** Escapes one member name: {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
  public static String escape(String segment) {
    if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
      return segment;
    }
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
