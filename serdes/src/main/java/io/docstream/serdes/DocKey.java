package io.docstream.serdes;

/**
 * A document key {@code space/id}. The space is 1-64 characters of {@code [a-z0-9_-]} starting with
 * a letter; the id is 1-200 characters of {@code [A-Za-z0-9._~:@+=-]}.
 */
public record DocKey(String space, String id) {
  private static final int MAX_SPACE_CHARS = 64;
  private static final int MAX_ID_CHARS = 200;

  public DocKey {
    if (!validSpace(space)) {
      throw new DocstreamException(
          ErrorCode.DOC_KEY_INVALID, "invalid space name: " + Echo.cut(space));
    }
    if (!validId(id)) {
      throw new DocstreamException(
          ErrorCode.DOC_KEY_INVALID, "invalid document id: " + Echo.cut(id));
    }
  }

  /** Parses {@code space/id}, failing with {@link ErrorCode#DOC_KEY_INVALID}. */
  public static DocKey parse(String key) {
    if (key == null) {
      throw new DocstreamException(ErrorCode.DOC_KEY_MISSING, "no document key");
    }
    int slash = key.indexOf('/');
    if (slash < 0) {
      throw new DocstreamException(
          ErrorCode.DOC_KEY_INVALID, "document key must be space/id: " + Echo.cut(key));
    }
    return new DocKey(key.substring(0, slash), key.substring(slash + 1));
  }

  /** Checked by hand rather than by a regex: every message's key passes here. */
  static boolean validSpace(String space) {
    if (space == null || space.isEmpty() || space.length() > MAX_SPACE_CHARS) {
      return false;
    }
    char first = space.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < space.length(); i++) {
      char c = space.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static boolean validId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && "._~:@+=-".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return space + "/" + id;
  }
}
