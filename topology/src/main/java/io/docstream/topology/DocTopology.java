package io.docstream.topology;

import io.docstream.serdes.TopicNames;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DocumentStores;
import io.docstream.topology.internal.DocProcessor;
import io.docstream.topology.internal.DocumentPartitioner;
import io.docstream.topology.internal.LogLimiter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The docstream topology: {@code commands} into one stateful processor, out to {@code deltas},
 * {@code rejections} and back to {@code commands} (re-keyed records and due timers). Every sink
 * partitions by murmur2 of the document key, the same as the Java producer's; the re-route sink
 * through an explicit {@link DocumentPartitioner}, which the on-partition check shares.
 */
public final class DocTopology {
  public static final String SOURCE = "commands";
  public static final String PROCESSOR = "apply";

  private DocTopology() {}

  public static Topology build(
      TopicNames topics,
      SpaceRegistry spaces,
      ProcessorConfig config,
      int commandPartitions,
      ProcessorMetrics metrics) {
    Topology topology = new Topology();
    topology.addSource(
        SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.commands());
    DocumentPartitioner partitioner = new DocumentPartitioner(commandPartitions);
    // deltas has the partition count of commands (created so, and rescaled together)
    DocumentPartitioner deltaPartitioner = new DocumentPartitioner(commandPartitions);
    DocProcessor.Settings settings =
        new DocProcessor.Settings(
            spaces,
            config.limits(),
            config.maxMessageBytes(),
            config.maxDeltaBytes(),
            config.timerIntervalMillis(),
            partitioner,
            deltaPartitioner,
            config.skipRecords(),
            new LogLimiter(config.rejectionLogLinesPerSecond(), System::nanoTime),
            metrics);
    topology.addProcessor(PROCESSOR, () -> new DocProcessor(settings), SOURCE);
    DocumentStores.builders().forEach(b -> topology.addStateStore(b, PROCESSOR));
    ByteArraySerializer bytes = new ByteArraySerializer();
    topology.addSink(
        DocProcessor.DELTAS, topics.deltas(), bytes, bytes, deltaPartitioner, PROCESSOR);
    topology.addSink(DocProcessor.REJECTIONS, topics.rejections(), bytes, bytes, PROCESSOR);
    topology.addSink(DocProcessor.REROUTE, topics.commands(), bytes, bytes, partitioner, PROCESSOR);
    return topology;
  }
}
