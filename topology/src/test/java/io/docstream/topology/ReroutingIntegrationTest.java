package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.internal.DocumentPartitioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producers that partition otherwise than docstream (by CRC-32 like librdkafka, round-robin) on a
 * real broker: what order holds, that nothing loops, and /healthz while a thread crash-loops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReroutingIntegrationTest {
  private static final int PARTITIONS = 6;
  private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

  /** Longer than the ~48 s a replaced thread took here to get its task back and fail again. */
  private static final long HEALTH_WINDOW_MILLIS = 120_000;

  private String bootstrap;
  private TopicNames topics;
  private ProcessorApp processor;
  private CommittedRecords outcomes;

  /** Partitions by CRC-32 of the key, as librdkafka's default (kcat) does. */
  public static final class Crc32Partitioner implements Partitioner {
    @Override
    public int partition(
        String topic,
        Object key,
        byte[] keyBytes,
        Object value,
        byte[] valueBytes,
        Cluster cluster) {
      CRC32 crc = new CRC32();
      crc.update(keyBytes);
      return (int) (crc.getValue() % cluster.partitionCountForTopic(topic));
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
  }

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    bootstrap = SharedBroker.bootstrapServers();
    String prefix = "reroute-" + UUID.randomUUID().toString().substring(0, 8);
    topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    processor =
        ProcessorApp.start(
            ProcessorConfig.from(
                new ConfigReader(
                    Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "application.id",
                        prefix,
                        "topic.prefix",
                        prefix,
                        "state.dir",
                        temp.toString(),
                        "http.port",
                        "0",
                        "health.window.ms",
                        "" + HEALTH_WINDOW_MILLIS,
                        "spaces.faulty.logic",
                        FaultySpace.class.getName()))));
    processor.awaitRunning(Duration.ofSeconds(60));
    outcomes = new CommittedRecords(bootstrap, List.of(topics.deltas(), topics.rejections()));
  }

  @AfterAll
  void stop() {
    if (outcomes != null) {
      outcomes.close();
    }
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldKeepEachKeyPartitionedProducersOrderForOneDocument() throws Exception {
    // Given a document that CRC-32 puts on another partition than murmur2
    String doc = keyOnAnotherPartitionForCrc32();
    int perProducer = 50;

    // When a CRC-32 producer and a murmur2 producer send 50 messages each to it, interleaved
    try (KafkaProducer<String, byte[]> crc32 = producer(Crc32Partitioner.class);
        KafkaProducer<String, byte[]> murmur2 = producer(null)) {
      for (int i = 0; i < perProducer; i++) {
        send(crc32, doc, "a-" + i);
        send(murmur2, doc, "b-" + i);
      }
    }

    // Then each producer's messages are applied in the order it sent them
    List<String> applied = awaitAppliedIds(doc, 2 * perProducer);
    assertThat(applied.stream().filter(id -> id.startsWith("a-")).toList())
        .containsExactlyElementsOf(ids("a-", perProducer));
    assertThat(applied.stream().filter(id -> id.startsWith("b-")).toList())
        .containsExactlyElementsOf(ids("b-", perProducer));
  }

  @Test
  void shouldApplyEveryMessageOfARoundRobinProducerOnceWithoutLooping() throws Exception {
    String doc = "json/round-robin";
    try (KafkaProducer<String, byte[]> roundRobin = producer(RoundRobinPartitioner.class)) {
      for (int i = 0; i < 20; i++) {
        send(roundRobin, doc, "r-" + i);
      }
    }

    List<String> applied = awaitAppliedIds(doc, 20);
    assertThat(applied).containsExactlyInAnyOrderElementsOf(ids("r-", 20));
    assertThat(rejectionsOf(doc)).isEmpty();
  }

  @Test
  void shouldSayUnhealthyWhileAThreadCrashLoops() throws Exception {
    // Given a space whose logic throws an Error (not about the record: it fails the task) twice
    FaultySpace.errorsLeft.set(2);

    // When a message reaches it
    try (KafkaProducer<String, byte[]> murmur2 = producer(null)) {
      murmur2
          .send(
              new ProducerRecord<>(
                  topics.commands(),
                  "faulty/loop",
                  Json.bytes(Command.of("e-1", Json.parse("{\"fail\":\"error\"}")))))
          .get(30, TimeUnit.SECONDS);
    }

    // Then /healthz answers 503 naming the failing thread, task and error
    JsonNode unhealthy =
        Awaitility.await()
            .dontCatchUncaughtExceptions()
            .atMost(OUTCOME_TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .until(
                this::health,
                h -> h.path("ok").isBoolean() && !h.path("ok").asBoolean() && h.has("failures"));
    assertThat(unhealthy.at("/failures/0/thread").asText()).contains("StreamThread");
    assertThat(unhealthy.at("/failures/0/task").asText()).matches("0_\\d+(,0_\\d+)*");
    assertThat(unhealthy.at("/failures/0/error").asText())
        .contains("a bug no record should be blamed for");
    assertThat(healthStatusCode()).isEqualTo(503);
    // And once the logic stops failing, the message is applied (StreamHealthTest shows /healthz
    // turning healthy a window later)
    awaitAppliedIds("faulty/loop", 1);
  }

  private static List<String> ids(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private List<String> awaitAppliedIds(String doc, int count) {
    List<ConsumerRecord<String, byte[]>> records =
        outcomes.awaitUntil(
            rs -> rs.stream().filter(r -> isDeltaOf(r, doc)).count() >= count,
            Duration.ofSeconds(90));
    List<String> ids = new ArrayList<>();
    records.stream()
        .filter(r -> isDeltaOf(r, doc))
        .forEach(r -> Json.parse(r.value()).path("ids").forEach(id -> ids.add(id.asText())));
    return ids;
  }

  private boolean isDeltaOf(ConsumerRecord<String, byte[]> r, String doc) {
    return r.topic().equals(topics.deltas()) && doc.equals(r.key());
  }

  private List<ConsumerRecord<String, byte[]>> rejectionsOf(String doc) {
    return outcomes.awaitUntil(rs -> true, OUTCOME_TIMEOUT).stream()
        .filter(r -> r.topic().equals(topics.rejections()) && doc.equals(r.key()))
        .toList();
  }

  private void send(KafkaProducer<String, byte[]> producer, String doc, String id)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topics.commands(), doc, Json.bytes(Command.of(id, Json.object().put(id, 1)))))
        .get(30, TimeUnit.SECONDS);
  }

  private KafkaProducer<String, byte[]> producer(Class<?> partitioner) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    if (partitioner != null) {
      config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, partitioner.getName());
    }
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private static String keyOnAnotherPartitionForCrc32() {
    for (int n = 0; ; n++) {
      String key = "json/order-" + n;
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(bytes);
      if (crc.getValue() % PARTITIONS != DocumentPartitioner.partition(bytes, PARTITIONS)) {
        return key;
      }
    }
  }

  private JsonNode health() throws Exception {
    return Json.parse(get("/healthz").body());
  }

  private int healthStatusCode() throws Exception {
    return get("/healthz").statusCode();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
