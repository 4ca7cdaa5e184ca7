package io.docstream.state;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the deltas themselves are read: the {@code deltas} topic, whose records the history's slots
 * locate. Only committed deltas are ever returned.
 */
@FunctionalInterface
public interface DeltaLog {
  /** A log that holds nothing: every located delta is unreachable. */
  DeltaLog NONE = (doc, wanted) -> new Found(Map.of(), Set.of());

  /**
   * The serialized deltas of {@code doc} among {@code wanted} that are committed and still
   * reachable. May find fewer than asked: retention deleted them or a scan bound was hit (they are
   * gone for good), or they are not readable yet (pending).
   */
  Found read(String doc, List<Place> wanted);

  /**
   * Where the delta at {@code seq} was written: its record's timestamp and the partition of the
   * deltas topic it went to.
   */
  record Place(long seq, long timestampMillis, int partition) {}

  /**
   * What a read found.
   *
   * @param deltas the committed deltas found, by seq
   * @param pending the seqs not found that may still become readable: the read waited for them
   *     until its time bound (their transaction may still be open, or its commit markers not yet
   *     written), or the log could not be read. Asking again later may find them.
   */
  record Found(Map<Long, byte[]> deltas, Set<Long> pending) {}
}
