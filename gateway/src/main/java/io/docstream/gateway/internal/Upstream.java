package io.docstream.gateway.internal;

import io.docstream.serdes.Delta;
import io.docstream.serdes.Rejection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/** The gateway's read_committed view of the deltas and rejections topics. */
public interface Upstream extends AutoCloseable {
  /** The partitions holding {@code doc}'s deltas and rejections. */
  Set<TopicPartition> partitionsOf(String doc);

  /**
   * Starts reading {@code partitions} from their current end. The future completes once the
   * positions are fixed: every record committed after that is delivered.
   */
  CompletableFuture<Void> add(Set<TopicPartition> partitions);

  /** Stops reading {@code partitions}. */
  void remove(Set<TopicPartition> partitions);

  /** False once the upstream stopped reading for good (its consumer failed). */
  default boolean healthy() {
    return true;
  }

  @Override
  void close();

  /** Receives records in partition order, on the upstream's thread. */
  interface Listener {
    /** Takes one poll's records; may wait while the gateway is overloaded, holding Kafka back. */
    void onRecords(List<Event> events) throws InterruptedException;

    /** Partitions were added: {@link #partitionsOf} may now answer otherwise for a document. */
    default void onPartitionsChanged() {}
  }

  /** One record read from a partition. */
  sealed interface Event {
    String doc();
  }

  record DeltaEvent(String doc, Delta delta) implements Event {}

  record RejectionEvent(String doc, Rejection rejection) implements Event {}
}
