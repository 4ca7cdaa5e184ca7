package io.docstream.topology;

import io.docstream.state.DeltaLog;
import io.docstream.state.DocumentReader;
import io.docstream.state.StoreNames;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Locates documents with Kafka Streams' metadata: the active host of the key's partition, as
 * announced through {@code application.server}.
 *
 * <p>While the group rebalances, documents of the partitions an instance keeps are still served:
 * only a partition whose task is not running here (moving away, arriving, restoring) answers as
 * migrating. Kafka Streams refuses its ordinary store queries while a stream thread is between
 * assignments, even for the tasks it keeps running; so a partition is read here when its task was
 * active on a local thread when that thread last reached RUNNING (Kafka Streams' thread metadata,
 * refreshed only then; a thread reaches RUNNING once none of its active tasks is restoring),
 * through a query that accepts that thread's state.
 */
public final class StreamsLocator implements DocumentLocator {
  private final KafkaStreams streams;
  private final HostInfo self;
  private final int historyDeltas;
  private final DeltaLog deltaLog;

  public StreamsLocator(KafkaStreams streams, HostInfo self, int historyDeltas, DeltaLog deltaLog) {
    this.streams = streams;
    this.self = self;
    this.historyDeltas = historyDeltas;
    this.deltaLog = deltaLog;
  }

  @Override
  public DocumentLocation locate(String doc) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      return new DocumentLocation.Migrating("processor is " + state);
    }
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(StoreNames.META, doc, Serdes.String().serializer());
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      return new DocumentLocation.Migrating("no instance owns the partition yet");
    }
    HostInfo owner = metadata.activeHost();
    if (!owner.equals(self)) {
      return new DocumentLocation.Remote("http://" + owner.host() + ":" + owner.port());
    }
    int partition = metadata.partition();
    if (!runningHere(partition)) {
      return new DocumentLocation.Migrating("partition " + partition + " is not running here yet");
    }
    try {
      return new DocumentLocation.Local(
          new DocumentReader(
              store(StoreNames.DOCS, partition),
              store(StoreNames.META, partition),
              store(StoreNames.HISTORY, partition),
              historyDeltas,
              deltaLog));
    } catch (InvalidStateStoreException e) {
      return new DocumentLocation.Migrating("partition is restoring: " + e.getMessage());
    }
  }

  /** Whether a local thread ran the partition's task as active when it last reached RUNNING. */
  private boolean runningHere(int partition) {
    return streams.metadataForLocalThreads().stream()
        .flatMap(t -> t.activeTasks().stream())
        .anyMatch(t -> t.taskId().partition() == partition);
  }

  /**
   * The partition's store, also while its thread rebalances ("stale" in Kafka Streams' terms: the
   * query then accepts any task of the partition on this instance; {@link #runningHere} has checked
   * that it is the active one).
   */
  private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
                name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
            .withPartition(partition)
            .enableStaleStores());
  }
}
