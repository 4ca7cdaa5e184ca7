package io.docstream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DeltaLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A docstream topology on TopologyTestDriver, with helpers to send and read records. */
final class TopologyFixture implements AutoCloseable {
  final TopicNames topics = new TopicNames("docstream");
  final TopologyTestDriver driver;
  final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
  private final TestInputTopic<byte[], byte[]> commands;
  private final TestOutputTopic<byte[], byte[]> deltas;
  private final TestOutputTopic<byte[], byte[]> rejections;
  private final List<TestRecord<byte[], byte[]>> deltasProduced = new ArrayList<>();
  private int deltasReturned;

  TopologyFixture(Path stateDir, Map<String, String> settings) {
    this(stateDir, settings, 1);
  }

  /**
   * @param commandPartitions the partition count the processor takes the commands topic to have
   */
  TopologyFixture(Path stateDir, Map<String, String> settings, int commandPartitions) {
    Map<String, String> all = new java.util.TreeMap<>(settings);
    all.putIfAbsent("bootstrap.servers", "unused:9092");
    all.put("state.dir", stateDir.toString());
    ProcessorConfig config = ProcessorConfig.from(new ConfigReader(all));
    Properties props =
        ProcessorApp.streamsProps(
            config, new org.apache.kafka.streams.state.HostInfo("127.0.0.1", 1));
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "docstream");
    driver =
        new TopologyTestDriver(
            DocTopology.build(
                topics,
                SpaceRegistry.fromProperties(config.spaces()),
                config,
                commandPartitions,
                metrics),
            props,
            Instant.ofEpochMilli(1_700_000_000_000L));
    ByteArraySerializer ser = new ByteArraySerializer();
    ByteArrayDeserializer de = new ByteArrayDeserializer();
    commands = driver.createInputTopic(topics.commands(), ser, ser);
    deltas = driver.createOutputTopic(topics.deltas(), de, de);
    rejections = driver.createOutputTopic(topics.rejections(), de, de);
  }

  void send(String doc, String id, String body, String actor, long ts) {
    Command c = new Command(id, Json.parse(body), actor, ts, null);
    sendRaw(doc == null ? null : doc.getBytes(StandardCharsets.UTF_8), Json.bytes(c));
  }

  void sendRaw(byte[] key, byte[] value) {
    commands.pipeInput(new TestRecord<>(key, value));
  }

  void sendRaw(byte[] key, byte[] value, Headers headers) {
    commands.pipeInput(new TestRecord<>(key, value, headers));
  }

  List<Out> deltas() {
    deltasProduced.addAll(deltas.readRecordsToList());
    List<TestRecord<byte[], byte[]>> fresh =
        deltasProduced.subList(deltasReturned, deltasProduced.size());
    deltasReturned = deltasProduced.size();
    return convert(fresh);
  }

  /**
   * The deltas topic as the read API sees it: every delta produced so far, found where the slots
   * say (record timestamp and partition 0, the only one here). TopologyTestDriver commits each
   * record at once, so nothing is ever pending.
   */
  DeltaLog deltaLog() {
    return (doc, wanted) -> {
      deltasProduced.addAll(deltas.readRecordsToList());
      Map<Long, byte[]> out = new java.util.HashMap<>();
      for (DeltaLog.Place place : wanted) {
        for (TestRecord<byte[], byte[]> r : deltasProduced) {
          if (place.partition() == 0
              && r.timestamp() == place.timestampMillis()
              && doc.equals(new String(r.key(), StandardCharsets.UTF_8))
              && TopicDeltaLog.seqOf(r.value()) == place.seq()) {
            out.put(place.seq(), r.value());
          }
        }
      }
      return new DeltaLog.Found(out, java.util.Set.of());
    };
  }

  List<Out> rejections() {
    return read(rejections);
  }

  /** One output record, key as text, value as JSON, and its headers. */
  record Out(String key, JsonNode value, Headers headers) {
    Out(String key, JsonNode value) {
      this(key, value, new RecordHeaders());
    }

    int code() {
      return value.path("code").intValue();
    }
  }

  private static List<Out> read(TestOutputTopic<byte[], byte[]> topic) {
    return convert(topic.readRecordsToList());
  }

  private static List<Out> convert(List<TestRecord<byte[], byte[]>> records) {
    List<Out> out = new ArrayList<>();
    for (TestRecord<byte[], byte[]> r : records) {
      out.add(
          new Out(
              r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
              Json.parse(r.value()),
              r.headers()));
    }
    return out;
  }

  @Override
  public void close() {
    driver.close();
  }
}
