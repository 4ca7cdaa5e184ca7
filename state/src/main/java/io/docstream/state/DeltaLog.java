package io.docstream.state;

import java.util.List;
import java.util.Map;

/**
 * Where the deltas themselves are read: the {@code deltas} topic, whose records the history's slots
 * locate. Only committed deltas are ever returned.
 */
@FunctionalInterface
public interface DeltaLog {
  /** A log that holds nothing: every located delta is unreachable. */
  DeltaLog NONE = (doc, wanted) -> Map.of();

  /**
   * The serialized deltas of {@code doc} among {@code wanted} that are committed and still
   * reachable, by seq. May return fewer than asked (retention deleted them, a scan bound was hit,
   * or they are not committed yet).
   */
  Map<Long, byte[]> read(String doc, List<Place> wanted);

  /**
   * Where the delta at {@code seq} was written: its record's timestamp and the partition of the
   * deltas topic it went to.
   */
  record Place(long seq, long timestampMillis, int partition) {}
}
