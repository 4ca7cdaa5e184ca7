package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.state.StoreNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large deltas on a broker with Kafka's stock record limit (message.max.bytes 1 MiB, the default of
 * every topic created without its own limit, changelogs included).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RecordLimitsIntegrationTest {
  private static final int STOCK_MESSAGE_MAX_BYTES = 1_048_588;
  private static final int MIB = 1024 * 1024;
  private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

  private KafkaBroker broker;
  private Properties admin;
  private final TopicNames topics = new TopicNames("limits");
  private ProcessorApp processor;
  private CommittedRecords outcomes;
  private KafkaProducer<String, byte[]> producer;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    broker = KafkaBroker.start(BrokerOptions.inDirectory(temp.resolve("broker")));
    admin = TopicSetup.adminProps(broker.bootstrapServers(), Map.of());
    try (Admin client = Admin.create(admin)) {
      client
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.BROKER, ""),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("message.max.bytes", "" + STOCK_MESSAGE_MAX_BYTES),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    TopicSetup.ensure(admin, topics, 2, (short) 1);
    processor =
        ProcessorApp.start(
            config(
                temp.resolve("state"), topics.prefix(), Map.of("max.message.bytes", "" + 3 * MIB)));
    processor.awaitRunning(Duration.ofSeconds(60));
    outcomes =
        new CommittedRecords(
            broker.bootstrapServers(), List.of(topics.deltas(), topics.rejections()));
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                8 * MIB),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  private ProcessorConfig config(Path state, String prefix, Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(more);
    all.put("bootstrap.servers", broker.bootstrapServers());
    all.put("application.id", prefix);
    all.put("topic.prefix", prefix);
    all.put("state.dir", state.toString());
    all.put("http.port", "0");
    all.put("max.delta.bytes", "" + 4 * MIB);
    return ProcessorConfig.from(new ConfigReader(all));
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (outcomes != null) {
      outcomes.close();
    }
    if (processor != null) {
      processor.close();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void shouldApplyATwoMebibyteDeltaAndWriteItsChangelogOnAStockBroker() throws Exception {
    // Given a broker whose topics take 1 MiB unless they say otherwise
    assertThat(maxMessageBytes(createPlainTopic("limits.plain")))
        .isEqualTo(STOCK_MESSAGE_MAX_BYTES);

    // When a message makes a delta of 2 MiB
    send(
        "jsonpatch/big",
        "big-1",
        "[{\"op\":\"add\",\"path\":\"/a\",\"value\":\"" + "x".repeat(2 * MIB) + "\"}]");

    // Then it is applied and its delta is readable
    ConsumerRecord<String, byte[]> delta = awaitOutcome("big-1");
    assertThat(delta.topic()).isEqualTo(topics.deltas());
    assertThat(delta.value().length).isGreaterThan(2 * MIB);
    // And its entry's changelog was written, to a topic that takes it
    String changelog = "limits-" + StoreNames.DOCS + "-changelog";
    assertThat(maxMessageBytes(changelog)).isEqualTo(ProcessorConfig.MAX_RECORD_BYTES);
    try (CommittedRecords entries =
        new CommittedRecords(broker.bootstrapServers(), List.of(changelog))) {
      entries.awaitUntil(
          rs -> rs.stream().anyMatch(r -> r.value() != null && r.value().length > 2 * MIB),
          OUTCOME_TIMEOUT);
    }
    // And the read API serves it from the deltas topic, which its slot locates
    HttpResponse<String> deltas =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + processor.httpPort()
                                + "/docs/jsonpatch/big/deltas?after=0"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(deltas.statusCode()).isEqualTo(200);
    assertThat(Json.parse(deltas.body()).get("deltas").get(0).get("seq").asLong()).isEqualTo(1);
    assertThat(deltas.body().length()).isGreaterThan(2 * MIB);
    assertThat(processor.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  void shouldRejectADeltaOverMaxDeltaBytesAndGoOn() throws Exception {
    String value = "y".repeat(3 * MIB / 2);
    send(
        "jsonpatch/copies",
        "c-1",
        "[{\"op\":\"add\",\"path\":\"/a\",\"value\":\"" + value + "\"}]");
    // When a small message copies 1.5 MiB three times (a 4.5 MiB delta)
    send(
        "jsonpatch/copies",
        "c-2",
        "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"},{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"},"
            + "{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/d\"}]");
    send("jsonpatch/copies", "c-3", "[{\"op\":\"add\",\"path\":\"/small\",\"value\":1}]");

    // Then it is rejected with 4211 and the next message is applied at seq 2
    ConsumerRecord<String, byte[]> rejected = awaitOutcome("c-2");
    assertThat(rejected.topic()).isEqualTo(topics.rejections());
    assertThat(Json.parse(rejected.value()).path("code").asInt())
        .isEqualTo(ErrorCode.DELTA_TOO_LARGE.code());
    JsonNode applied = Json.parse(awaitOutcome("c-3").value());
    assertThat(applied.path("seq").asLong()).isEqualTo(2);
    assertThat(health().statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseToStartWhenTheDeltasTopicTakesLessThanMaxDeltaBytes(@TempDir Path temp)
      throws Exception {
    TopicNames small = new TopicNames("small");
    for (String topic : List.of(small.commands(), small.deltas(), small.rejections())) {
      createPlainTopic(topic);
    }

    assertThatThrownBy(
            () ->
                ProcessorApp.start(
                    config(temp, small.prefix(), Map.of("max.message.bytes", "65536"))))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(ErrorCode.TOPIC_SETUP_FAILED);
              assertThat(e.getMessage())
                  .contains("small.deltas", "" + STOCK_MESSAGE_MAX_BYTES, "max.delta.bytes");
            });
  }

  private void send(String doc, String id, String body) throws Exception {
    byte[] value = Json.bytes(Json.object().put("id", id).set("body", Json.parse(body)));
    producer.send(new ProducerRecord<>(topics.commands(), doc, value)).get(30, TimeUnit.SECONDS);
  }

  /** The delta naming {@code id}, or the rejection carrying it. */
  private ConsumerRecord<String, byte[]> awaitOutcome(String id) {
    return outcomes
        .awaitUntil(rs -> rs.stream().anyMatch(r -> names(r, id)), OUTCOME_TIMEOUT)
        .stream()
        .filter(r -> names(r, id))
        .findFirst()
        .orElseThrow();
  }

  private static boolean names(ConsumerRecord<String, byte[]> r, String id) {
    JsonNode v = Json.parse(r.value());
    return id.equals(v.path("id").asText()) || id.equals(v.at("/ids/0").asText());
  }

  private String createPlainTopic(String name) throws Exception {
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(List.of(new NewTopic(name, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return name;
  }

  private int maxMessageBytes(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin client = Admin.create(admin)) {
      return Integer.parseInt(
          client
              .describeConfigs(List.of(resource))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(resource)
              .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
              .value());
    }
  }

  private HttpResponse<String> health() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + processor.httpPort() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
