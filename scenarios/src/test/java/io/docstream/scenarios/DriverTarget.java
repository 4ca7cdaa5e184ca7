package io.docstream.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.DeltaLog;
import io.docstream.state.DocumentReader;
import io.docstream.state.StoreNames;
import io.docstream.topology.DocTopology;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.ProcessorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs scenarios on {@link TopologyTestDriver}: one driver per scenario, its wall clock starting at
 * {@link Scenario#CLOCK_START_MILLIS}. Everything happens synchronously, so an output is there as
 * soon as the record that caused it was piped in.
 */
final class DriverTarget implements ScenarioTarget {
  private final Path stateRoot;

  /**
   * @param stateRoot a directory for the drivers' state, one subdirectory per scenario
   */
  DriverTarget(Path stateRoot) {
    this.stateRoot = stateRoot;
  }

  @Override
  public Session open(Scenario scenario) {
    try {
      return new DriverSession(scenario, Files.createTempDirectory(stateRoot, scenario.name()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state directory in " + stateRoot, e);
    }
  }

  private static final class DriverSession implements Session {
    private final TopologyTestDriver driver;
    private final long timerIntervalMillis;
    private final int historyDeltas;
    private final TestInputTopic<byte[], byte[]> commands;
    private final TestOutputTopic<byte[], byte[]> deltas;
    private final TestOutputTopic<byte[], byte[]> rejections;
    private final List<Output> outputs = new ArrayList<>();

    DriverSession(Scenario scenario, Path stateDir) {
      Map<String, String> settings = new TreeMap<>(Scenario.DEFAULT_SETTINGS);
      settings.putAll(scenario.config());
      settings.put("bootstrap.servers", "unused:9092");
      settings.put("state.dir", stateDir.toString());
      ProcessorConfig config = ProcessorConfig.from(new ConfigReader(settings));
      timerIntervalMillis = config.timerIntervalMillis();
      historyDeltas = config.limits().historyDeltas();
      driver =
          new TopologyTestDriver(
              DocTopology.build(
                  config.topics(),
                  SpaceRegistry.fromProperties(config.spaces()),
                  config,
                  1,
                  new ProcessorMetrics(new SimpleMeterRegistry())),
              ProcessorApp.streamsProps(config, new HostInfo(config.advertisedHost(), 1)),
              Instant.ofEpochMilli(Scenario.CLOCK_START_MILLIS));
      ByteArraySerializer ser = new ByteArraySerializer();
      ByteArrayDeserializer de = new ByteArrayDeserializer();
      commands = driver.createInputTopic(config.topics().commands(), ser, ser);
      deltas = driver.createOutputTopic(config.topics().deltas(), de, de);
      rejections = driver.createOutputTopic(config.topics().rejections(), de, de);
    }

    @Override
    public void send(Input input) {
      commands.pipeInput(
          new TestRecord<>(
              input.keyBytes(),
              input.valueBytes(),
              null,
              Instant.ofEpochMilli(input.timestampMillis())));
      collect();
    }

    @Override
    public void settle() {
      // piping a record in processes it, and every record it causes, at once
    }

    /**
     * Advances in steps of the processor's timer interval, as wall-clock time passes on a broker,
     * so that a timer scheduled by a timer fires within the same advance when it falls due.
     */
    @Override
    public void advance(long millis) {
      for (long left = millis; left > 0; left -= timerIntervalMillis) {
        driver.advanceWallClockTime(Duration.ofMillis(Math.min(left, timerIntervalMillis)));
        collect();
      }
    }

    @Override
    public List<Output> outputs() {
      return List.copyOf(outputs);
    }

    @Override
    public Optional<ObjectNode> document(String key) {
      DocumentReader reader =
          new DocumentReader(
              store(StoreNames.DOCS),
              store(StoreNames.META),
              store(StoreNames.HISTORY),
              historyDeltas,
              DeltaLog.NONE);
      try {
        return reader.snapshot(key).map(DriverSession::served);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + key, e);
      }
    }

    @Override
    public void await(Runnable check) {
      check.run();
    }

    @Override
    public void close() {
      driver.close();
    }

    /** The snapshot in the read API's shape. */
    private static ObjectNode served(DocumentReader.Snapshot snapshot) {
      ObjectNode doc = Json.object().put("seq", snapshot.seq());
      doc.set("data", snapshot.data());
      return doc;
    }

    private KeyValueStore<Bytes, byte[]> store(String name) {
      return driver.getKeyValueStore(name);
    }

    private void collect() {
      read(deltas, Output.Kind.DELTA);
      read(rejections, Output.Kind.REJECTION);
    }

    private void read(TestOutputTopic<byte[], byte[]> topic, Output.Kind kind) {
      for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        outputs.add(new Output(kind, key, Json.parse(r.value())));
      }
    }
  }
}
