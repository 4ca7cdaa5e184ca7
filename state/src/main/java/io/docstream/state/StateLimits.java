package io.docstream.state;

/**
 * The bounds of a task's state.
 *
 * @param historyDeltas deltas kept per document for resuming clients
 * @param dedupeWindowMessages commits per document for which a message id is remembered at least
 * @param dedupeWindowMillis message-timestamp millis for which a message id is remembered at least
 * @param cacheBytes heap bytes of hot documents kept materialised per task, as {@code
 *     DocumentCache} estimates them (content plus per-document overhead)
 * @param maxDocumentBytes stored bytes a document may occupy
 */
public record StateLimits(
    int historyDeltas,
    long dedupeWindowMessages,
    long dedupeWindowMillis,
    long cacheBytes,
    long maxDocumentBytes) {
  /**
   * How deeply objects and arrays may nest in a document (the root object is level 1): far below
   * Jackson's nesting limits (1000 for writing and reading), so every document and every delta
   * (which nests a patch one level deeper) can always be written and read back.
   */
  public static final int MAX_DOCUMENT_DEPTH = 100;

  /**
   * The most message ids a document remembers, whatever the dedupe window says (unless {@code
   * dedupeWindowMessages} is larger): the bound on its dedupe state when message timestamps run far
   * ahead and the time window would never pass.
   */
  public static final long MAX_REMEMBERED_IDS = 1_000_000;
}
