package io.docstream.spaces.internal;

import io.docstream.document.Pointer;
import java.util.Arrays;

/** Builds JSON Pointers from raw member names, such as actor ids, which may hold {@code /}. */
public final class Pointers {
  private Pointers() {}

  /** {@code pointer("hands", "a/b")} is {@code "/hands/a~1b"}. */
  public static String pointer(String... segments) {
    return Pointer.format(Arrays.asList(segments));
  }
}
