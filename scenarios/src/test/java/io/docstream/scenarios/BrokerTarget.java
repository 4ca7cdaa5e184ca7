package io.docstream.scenarios;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scenarios against a processor on a real broker: one processor (for one {@code config}) with
 * its own topics, a Java producer, and a read_committed reader of its outputs. The files of one
 * config run concurrently, each in its own thread; they never share a key (see {@link Isolation}).
 *
 * <p>The processor's clock is a {@link ScenarioClock}: it starts five minutes before the scenario
 * clock (time enough for the processor to start and for other configs' files to run first), and
 * {@link #startClock()} moves it to {@link Scenario#CLOCK_START_MILLIS} right before the files run;
 * from then on it runs at wall-clock speed.
 */
final class BrokerTarget implements ScenarioTarget, AutoCloseable {
  /** How long one record's outcome, or the expected outputs, may take. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(BrokerTarget.class);
  private static final long SLOW_OUTCOME_MILLIS = 500;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int PARTITIONS = 2;

  /** Documents of the json space for warming up; no scenario file should use these keys. */
  private static final String WARM_UP_KEY = "json/broker-target.warm-up.";

  private static final int WARM_UP_ROUNDS = 3;

  /** How long before the scenario clock's start a processor's clock starts; see startClock. */
  private static final long CLOCK_LEAD_MILLIS = 5 * 60_000;

  private final ProcessorConfig config;
  private final ScenarioClock clock;
  private final ProcessorApp processor;
  private final KafkaProducer<byte[], byte[]> producer;
  private final OutputCollector outputs;
  private final HttpClient http = HttpClient.newHttpClient();

  private BrokerTarget(
      ProcessorConfig config,
      ScenarioClock clock,
      ProcessorApp processor,
      KafkaProducer<byte[], byte[]> producer,
      OutputCollector outputs) {
    this.config = config;
    this.clock = clock;
    this.processor = processor;
    this.producer = producer;
    this.outputs = outputs;
  }

  /**
   * Creates the topics {@code prefix}.commands etc. and starts a processor with the scenarios'
   * {@code config}, returning once it runs.
   */
  static BrokerTarget start(
      String bootstrapServers, Map<String, String> scenarioConfig, String prefix, Path stateDir)
      throws IOException, InterruptedException {
    Map<String, String> settings = new TreeMap<>(Scenario.DEFAULT_SETTINGS);
    settings.put("commit.interval.ms", "50"); // outputs are visible when their transaction commits
    settings.putAll(scenarioConfig);
    settings.put("bootstrap.servers", bootstrapServers);
    settings.put("application.id", prefix);
    settings.put("topic.prefix", prefix);
    settings.put("topic.partitions", Integer.toString(PARTITIONS));
    settings.put("state.dir", stateDir.toString());
    settings.put("http.host", "127.0.0.1");
    settings.put("http.port", "0");
    ProcessorConfig config = ProcessorConfig.from(new ConfigReader(settings));
    Properties admin = TopicSetup.adminProps(bootstrapServers, config.kafka());
    TopicSetup.ensure(admin, config.topics(), config.partitions(), config.replicationFactor());
    keepForever(admin, config);
    ScenarioClock clock = new ScenarioClock(Scenario.CLOCK_START_MILLIS - CLOCK_LEAD_MILLIS);
    ProcessorApp processor = ProcessorApp.start(config, clock);
    try {
      processor.awaitRunning(START_TIMEOUT);
      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrapServers,
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.LINGER_MS_CONFIG,
                  0),
              new ByteArraySerializer(),
              new ByteArraySerializer());
      return new BrokerTarget(
          config,
          clock,
          processor,
          producer,
          new OutputCollector(bootstrapServers, config.topics()));
    } catch (RuntimeException | InterruptedException e) {
      processor.close();
      throw e;
    }
  }

  /**
   * Moves the processor's clock to the scenario clock's start; call right before the files run.
   * Before that, a few records go through every partition, since a processor's first transactions
   * are slower by seconds than the rest, and scenario time must not run away from the first
   * scenario records.
   */
  void startClock() {
    warmUp();
    clock.jumpTo(Scenario.CLOCK_START_MILLIS);
  }

  private void warmUp() {
    Set<String> keys = new TreeSet<>();
    Set<Integer> partitions = new TreeSet<>();
    for (int i = 0; partitions.size() < PARTITIONS; i++) {
      String key = WARM_UP_KEY + i;
      if (partitions.add(Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % PARTITIONS)) {
        keys.add(key);
      }
    }
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      for (String key : keys) {
        producer.send(
            new ProducerRecord<>(
                config.topics().commands(), key.getBytes(UTF_8), "{\"body\":{}}".getBytes(UTF_8)));
      }
      int expected = keys.size() * (round + 1);
      Awaitility.await("warm-up records through " + config.topics().commands())
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> outputs.matching(keys, Set.of()).size() >= expected);
    }
  }

  @Override
  public Session open(Scenario scenario) {
    return new BrokerSession(scenario);
  }

  @Override
  public void close() {
    producer.close();
    outputs.close();
    processor.close();
  }

  /**
   * Scenario records carry scenario timestamps (2023): without this, retention would delete them as
   * soon as the broker checks.
   */
  private static void keepForever(Properties adminProps, ProcessorConfig config)
      throws InterruptedException {
    AlterConfigOp forever =
        new AlterConfigOp(
            new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "-1"), AlterConfigOp.OpType.SET);
    Map<ConfigResource, Collection<AlterConfigOp>> changes =
        new TreeMap<>((a, b) -> a.name().compareTo(b.name()));
    for (String topic :
        List.of(
            config.topics().commands(), config.topics().deltas(), config.topics().rejections())) {
      changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(forever));
    }
    try (Admin client = Admin.create(adminProps)) {
      client.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot set retention.ms=-1 on " + changes.keySet(), e);
    }
  }

  /** One scenario on the shared processor. */
  private final class BrokerSession implements Session {
    private final String name;
    private final Set<String> keys;
    private final Set<String> unkeyedIds;
    private long cursorMillis = Scenario.CLOCK_START_MILLIS;
    private final List<Input> sent = new ArrayList<>();

    BrokerSession(Scenario scenario) {
      name = scenario.name();
      keys = scenario.keys();
      unkeyedIds = scenario.unkeyedIds();
    }

    /**
     * Records are pipelined: the producer keeps their order per key, and so per document. A record
     * without key goes round the commands topic to its document's partition, where the next record
     * could overtake it, so the session waits for its outcome before sending more.
     */
    @Override
    public void send(Input input) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              config.topics().commands(),
              null,
              input.timestampMillis(),
              input.keyBytes(),
              input.valueBytes());
      try {
        producer.send(record).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("cannot send " + input, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted sending " + input, e);
      }
      sent.add(input);
      if (input.key() == null) {
        settle();
      }
    }

    /** Waits until there are as many outcomes of sent records (not of timers) as records sent. */
    @Override
    public void settle() {
      long started = System.nanoTime();
      Awaitility.await(name + ": the outcomes of " + sent.size() + " records")
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(10))
          .pollInSameThread()
          .until(() -> outputs().stream().filter(o -> !o.fromTimer()).count() >= sent.size());
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      if (tookMillis > SLOW_OUTCOME_MILLIS) {
        LOG.warn(
            "{}: {} outcomes took {} ms; the clock is {} ms past the scenario's",
            name,
            sent.size(),
            tookMillis,
            clock.milliseconds() - cursorMillis);
      }
    }

    @Override
    public void advance(long millis) {
      settle();
      cursorMillis += millis;
      clock.sleepUntil(cursorMillis);
    }

    @Override
    public List<Output> outputs() {
      return outputs.matching(keys, unkeyedIds);
    }

    @Override
    public Optional<ObjectNode> document(String key) {
      URI uri = URI.create("http://127.0.0.1:" + processor.httpPort() + "/docs/" + key);
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503) {
          return Optional.empty();
        }
        JsonNode body = Json.parse(response.body());
        if (response.statusCode() != 200 || !body.isObject()) {
          throw new AssertionError(
              "GET " + uri + " answered " + response.statusCode() + " " + body);
        }
        return Optional.of((ObjectNode) body);
      } catch (IOException e) {
        throw new AssertionError("GET " + uri + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted reading " + uri, e);
      }
    }

    @Override
    public void await(Runnable check) {
      Awaitility.await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(50))
          .pollInSameThread()
          .untilAsserted(check::run);
    }

    @Override
    public void close() {
      // the processor and the clients belong to the target
    }
  }
}
