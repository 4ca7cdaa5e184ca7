package io.docstream.state;

import java.util.List;

/** What {@code ?after=S} can give for a document. */
public sealed interface DeltasAfter {
  /** The committed deltas after S in seq order without a gap (empty when S is the current seq). */
  record Deltas(List<byte[]> deltas) implements DeltasAfter {}

  /**
   * Not even the delta at S+1 can be given, nor will it ever: it is older than the history reaches,
   * or the deltas topic no longer holds it. A snapshot is the way forward.
   */
  record Gone() implements DeltasAfter {}

  /**
   * The history records the delta at {@code seq} (the store applied it) but the deltas topic does
   * not show it committed yet; asking again shortly will either find it or find the store rolled
   * back.
   */
  record Pending(long seq) implements DeltasAfter {}
}
