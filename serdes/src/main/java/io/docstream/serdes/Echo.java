package io.docstream.serdes;

/**
 * Input quoted back to a person (in a rejection or a log line) is cut, so that a 10 KB key or id
 * never comes back whole: at most {@value #MAX_CHARS} characters, then how long it was.
 */
public final class Echo {
  public static final int MAX_CHARS = 64;

  private Echo() {}

  /** {@code text} itself, or its first {@value #MAX_CHARS} characters and its length. */
  public static String cut(String text) {
    return cut(text, MAX_CHARS);
  }

  /** {@code text} itself, or its first {@code maxChars} characters and its length. */
  public static String cut(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    return text.substring(0, end) + "... (" + text.length() + " characters: too long)";
  }
}
