package io.docstream.state;

/**
 * The bounds of a task's state.
 *
 * @param historyDeltas deltas kept per document for resuming clients
 * @param dedupeWindowMessages commits per document for which a message id is remembered
 * @param cacheBytes stored bytes of hot documents kept materialised per task
 * @param maxDocumentBytes stored bytes a document may occupy
 */
public record StateLimits(
    int historyDeltas, long dedupeWindowMessages, long cacheBytes, long maxDocumentBytes) {}
