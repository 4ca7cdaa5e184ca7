package io.docstream.serdes;

import java.util.regex.Pattern;

/**
 * A document key {@code space/id}. The space is 1-64 characters of {@code [a-z0-9_-]} starting with
 * a letter; the id is 1-200 characters of {@code [A-Za-z0-9._~:@+=-]}.
 */
public record DocKey(String space, String id) {
  private static final Pattern SPACE = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~:@+=-]{1,200}");

  public DocKey {
    if (space == null || !SPACE.matcher(space).matches()) {
      throw new DocstreamException(
          ErrorCode.DOC_KEY_INVALID, "invalid space name: " + Echo.cut(space));
    }
    if (id == null || !ID.matcher(id).matches()) {
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

  @Override
  public String toString() {
    return space + "/" + id;
  }
}
