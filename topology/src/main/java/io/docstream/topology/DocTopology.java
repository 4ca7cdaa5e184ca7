package io.docstream.topology;

import io.docstream.serdes.TopicNames;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DocumentStores;
import io.docstream.topology.internal.DocProcessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The docstream topology: {@code commands} into one stateful processor, out to {@code deltas},
 * {@code rejections} and back to {@code commands} (re-keyed records and due timers). Sinks use
 * Kafka's default partitioner, murmur2 of the document key, the same as the Java producer's.
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
    DocProcessor.Settings settings =
        new DocProcessor.Settings(
            spaces,
            config.limits(),
            config.maxMessageBytes(),
            config.maxDeltaBytes(),
            config.timerIntervalMillis(),
            commandPartitions,
            metrics);
    topology.addProcessor(PROCESSOR, () -> new DocProcessor(settings), SOURCE);
    DocumentStores.builders().forEach(b -> topology.addStateStore(b, PROCESSOR));
    ByteArraySerializer bytes = new ByteArraySerializer();
    topology.addSink(DocProcessor.DELTAS, topics.deltas(), bytes, bytes, PROCESSOR);
    topology.addSink(DocProcessor.REJECTIONS, topics.rejections(), bytes, bytes, PROCESSOR);
    topology.addSink(DocProcessor.REROUTE, topics.commands(), bytes, bytes, PROCESSOR);
    return topology;
  }
}
