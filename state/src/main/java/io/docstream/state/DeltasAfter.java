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
   * The store applied the delta at {@code seq} but the deltas topic does not show it committed yet,
   * or its slot is still held until the commit; asking again shortly will either find it or find
   * the store rolled back.
   */
  record Pending(long seq) implements DeltasAfter {}
}
