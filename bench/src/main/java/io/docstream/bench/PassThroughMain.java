package io.docstream.bench;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The ceiling: an exactly_once_v2 topology that copies every record from one topic to another, with
 * the same threads, commit interval and guarantee as the processor, and no work in between; or,
 * with stores, one that first writes each record into that many logged, uncached RocksDB stores
 * ({@link StoreWritingCopy}), the cost of exactly-once state writes without any logic.
 *
 * <p>Arguments: bootstrap, application id, input topic, output topic, state dir, stores (0 for a
 * plain copy), then Kafka Streams settings as {@code key=value} (the stream threads, the commit
 * interval and whatever else the processor runs with).
 */
public final class PassThroughMain {
  private PassThroughMain() {}

  public static void main(String[] args) throws InterruptedException {
    Topology topology = new Topology();
    topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), args[2]);
    int stores = Integer.parseInt(args[5]);
    String copy = "in";
    if (stores > 0) {
      String[] names = new String[stores];
      for (int i = 0; i < stores; i++) {
        names[i] = "store-" + i;
      }
      copy = "write";
      topology.addProcessor(copy, () -> new StoreWritingCopy(names), "in");
      for (String name : names) {
        topology.addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray()),
            copy);
      }
    }
    topology.addSink("out", args[3], new ByteArraySerializer(), new ByteArraySerializer(), copy);
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
    props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
    for (int i = 6; i < args.length; i++) {
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
