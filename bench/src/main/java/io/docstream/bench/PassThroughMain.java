package io.docstream.bench;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The ceiling: an exactly_once_v2 topology that copies every record from one topic to another, with
 * the same threads, commit interval and guarantee as the processor, and no work in between.
 *
 * <p>Arguments: bootstrap, application id, input topic, output topic, state dir, then Kafka Streams
 * settings as {@code key=value} (the stream threads, the commit interval and whatever else the
 * processor runs with).
 */
public final class PassThroughMain {
  private PassThroughMain() {}

  public static void main(String[] args) throws InterruptedException {
    Topology topology = new Topology();
    topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), args[2]);
    topology.addSink("out", args[3], new ByteArraySerializer(), new ByteArraySerializer(), "in");
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
    for (int i = 5; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      props.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    KafkaStreams streams = new KafkaStreams(topology, props);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close();
                  stopped.countDown();
                },
                "pass-through-shutdown"));
    streams.start();
    stopped.await();
  }
}
