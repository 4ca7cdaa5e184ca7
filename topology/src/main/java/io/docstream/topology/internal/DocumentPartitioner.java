package io.docstream.topology.internal;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Where a document's records belong: murmur2 of the document key modulo the partition count of the
 * commands topic, as Kafka's Java producer computes it. The re-route sink uses it with the count
 * its producer sees at the time of sending; the on-partition check uses the latest count seen so
 * far (the one read at start until the sink has sent something), so partitions added while running
 * cost at most one extra hop, never a loop.
 */
public final class DocumentPartitioner implements StreamPartitioner<byte[], byte[]> {
  private final AtomicInteger partitionCount;

  /**
   * @param partitionsAtStart the partition count read at start, or 0 when unknown
   */
  public DocumentPartitioner(int partitionsAtStart) {
    this.partitionCount = new AtomicInteger(partitionsAtStart);
  }

  public static int partition(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  @Override
  public Optional<Set<Integer>> partitions(
      String topic, byte[] key, byte[] value, int numPartitions) {
    if (numPartitions <= 0) {
      return Optional.empty();
    }
    partitionCount.set(numPartitions);
    return Optional.of(Set.of(partition(key, numPartitions)));
  }

  /**
   * The partition a record keyed {@code key} goes to by the latest count seen (0 while the count is
   * unknown).
   */
  public int partitionOf(byte[] key) {
    int count = partitionCount.get();
    return count <= 0 ? 0 : partition(key, count);
  }

  /** Whether a record keyed {@code key} read from {@code partition} is where it belongs. */
  public boolean owns(int partition, byte[] key) {
    int count = partitionCount.get();
    return count <= 0 || partition(key, count) == partition;
  }
}
