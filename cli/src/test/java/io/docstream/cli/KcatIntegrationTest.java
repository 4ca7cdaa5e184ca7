package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer that is not Java drives docstream: kcat (librdkafka) writes to the commands topic with
 * its own partitioner, and the processor re-routes, applies or rejects what it wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatIntegrationTest {
  private static final int PARTITIONS = 6;
  private static final int MAX_MESSAGE_BYTES = 4096;
  private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

  private Path temp;
  private String bootstrap;
  private TopicNames topics;
  private ProcessorApp processor;
  private CommittedOutcomes outcomes;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startProcessor(@TempDir Path temp) throws Exception {
    Kcat.requireInstalled();
    this.temp = temp;
    bootstrap = SharedBroker.bootstrapServers();
    String prefix = "kcat-" + UUID.randomUUID().toString().substring(0, 8);
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
                        temp.resolve("state").toString(),
                        "http.port",
                        "0",
                        "max.message.bytes",
                        Integer.toString(MAX_MESSAGE_BYTES),
                        // No turn timer may fire while verify compares documents with deltas.
                        "spaces.cards.turnMillis",
                        "3600000"))));
    processor.awaitRunning(Duration.ofSeconds(60));
    outcomes = new CommittedOutcomes(bootstrap, topics);
  }

  @AfterAll
  void stopProcessor() {
    if (outcomes != null) {
      outcomes.close();
    }
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldApplyChatTodoAndCardsMessagesProducedByKcat() throws Exception {
    // When kcat sends messages to a chat room, a todo list and a card table
    kcat(
        "chat/kcat-room:{\"id\":\"kc-1\",\"actor\":\"alice\",\"body\":{\"say\":\"hello from kcat\"}}",
        "chat/kcat-room:{\"id\":\"kc-2\",\"actor\":\"bob\",\"body\":{\"say\":\"hi alice\"}}",
        "todo/kcat-list:{\"id\":\"kt-1\",\"body\":{\"op\":\"add\",\"title\":\"buy milk\"}}",
        "todo/kcat-list:{\"id\":\"kt-2\",\"body\":{\"op\":\"toggle\",\"id\":\"0000000001\"}}",
        "cards/kcat-table:{\"id\":\"kk-1\",\"actor\":\"alice\",\"body\":{\"op\":\"join\"}}",
        "cards/kcat-table:{\"id\":\"kk-2\",\"actor\":\"bob\",\"body\":{\"op\":\"join\"}}",
        "cards/kcat-table:{\"id\":\"kk-3\",\"actor\":\"alice\",\"body\":{\"op\":\"start\"}}");

    // Then each is applied, in the order kcat sent it for its document
    awaitApplied(Set.of("kc-1", "kc-2", "kt-1", "kt-2", "kk-1", "kk-2", "kk-3"));
    JsonNode chat = document("chat/kcat-room");
    assertThat(chat.path("seq").asLong()).isEqualTo(2);
    assertThat(texts(chat.path("data").path("messages")))
        .containsExactly("alice: hello from kcat", "bob: hi alice");
    JsonNode todo = document("todo/kcat-list").path("data");
    assertThat(todo.at("/items/0000000001/title").asText()).isEqualTo("buy milk");
    assertThat(todo.at("/items/0000000001/done").asBoolean()).isTrue();
    JsonNode cards = document("cards/kcat-table").path("data");
    assertThat(cards.path("status").asText()).isEqualTo("playing");
    assertThat(cards.path("players").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("alice", "bob");
    assertThat(cards.at("/hands/alice").size()).isEqualTo(5);
  }

  @Test
  void shouldAnswerMalformedAndOversizedRecordsWithCodesAndApplyTheMessagesAfterThem()
      throws Exception {
    // When kcat sends a good message, a record that is not JSON, one over max.message.bytes and
    // another good message to one document
    String oversized = "x".repeat(MAX_MESSAGE_BYTES + 1000);
    kcat(
        "chat/kcat-bad:{\"id\":\"kb-1\",\"actor\":\"alice\",\"body\":{\"say\":\"before\"}}",
        "chat/kcat-bad:this is not json",
        "chat/kcat-bad:{\"id\":\"kb-big\",\"actor\":\"alice\",\"body\":{\"say\":\""
            + oversized
            + "\"}}",
        "chat/kcat-bad:{\"id\":\"kb-2\",\"actor\":\"alice\",\"body\":{\"say\":\"after\"}}");

    // Then the bad records are answered on the rejections topic, under their key, with codes
    assertThat(
            outcomes.awaitUntil(o -> rejectionsOf(o, "chat/kcat-bad").size() >= 2, OUTCOME_TIMEOUT))
        .as("two rejections for chat/kcat-bad")
        .isTrue();
    assertThat(rejectionsOf(outcomes, "chat/kcat-bad"))
        .extracting(CommittedOutcomes.Rejected::code)
        .containsExactly(ErrorCode.RECORD_NOT_JSON.code(), ErrorCode.RECORD_TOO_LARGE.code());

    // And the messages after them are still applied
    awaitApplied(Set.of("kb-1", "kb-2"));
    JsonNode chat = document("chat/kcat-bad");
    assertThat(texts(chat.path("data").path("messages")))
        .containsExactly("alice: before", "alice: after");
    assertThat(outcomes.applications()).doesNotContainKey("kb-big");
  }

  @Test
  void shouldMergeKcatAndJavaProducersIntoOneDocumentWithGapFreeSeq() throws Exception {
    // Given a document that kcat's partitioner puts on another partition than the Java client's
    String doc = keyOnAnotherPartitionForKcat();
    double reroutedBefore = metric("docstream_messages_rerouted_total");

    // When kcat and the Java producer send 100 messages each to it at the same time
    int perProducer = 100;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < perProducer; i++) {
      lines.add(doc + ":{\"id\":\"kx-" + i + "\",\"body\":{\"kx-" + i + "\":" + i + "}}");
    }
    CompletableFuture<Void> viaKcat =
        CompletableFuture.runAsync(
            () -> {
              try {
                Kcat.produce(bootstrap, topics.commands(), lines, temp);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap)) {
      for (int i = 0; i < perProducer; i++) {
        ObjectNode body = Json.object().put("jx-" + i, i);
        producer.send(
            new ProducerRecord<>(topics.commands(), doc, Json.bytes(Command.of("jx-" + i, body))));
        Thread.sleep(5);
      }
    }
    viaKcat.get(30, TimeUnit.SECONDS);

    // Then all 200 end up in one document, each applied once, with seq 1..200
    Set<String> sent =
        Stream.of("kx-", "jx-")
            .flatMap(p -> IntStream.range(0, perProducer).mapToObj(i -> p + i))
            .collect(Collectors.toSet());
    awaitApplied(sent);
    outcomes.readToEnd(Duration.ofSeconds(10));
    assertThat(outcomes.seqsByDoc().get(doc))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * perProducer).boxed().toList());
    assertThat(sent).allSatisfy(id -> assertThat(outcomes.applications().get(id)).isEqualTo(1));
    JsonNode stored = document(doc);
    assertThat(stored.path("data").properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrderElementsOf(sent);
    // And kcat's records went through the re-route to the document's partition
    assertThat(metric("docstream_messages_rerouted_total") - reroutedBefore)
        .isGreaterThanOrEqualTo(perProducer);

    // And the invariant checker agrees for every document of this deployment
    int exit =
        VerifyRun.exitCode(bootstrap, topics.prefix(), "http://127.0.0.1:" + processor.httpPort());
    assertThat(exit).as("docstream verify exit code").isZero();
  }

  private void kcat(String... lines) throws Exception {
    Kcat.produce(bootstrap, topics.commands(), List.of(lines), temp);
  }

  private void awaitApplied(Set<String> ids) {
    assertThat(
            outcomes.awaitUntil(o -> o.applications().keySet().containsAll(ids), OUTCOME_TIMEOUT))
        .as(
            "applied within "
                + OUTCOME_TIMEOUT
                + ": "
                + ids
                + "; rejections "
                + outcomes.rejections())
        .isTrue();
  }

  private static List<CommittedOutcomes.Rejected> rejectionsOf(CommittedOutcomes o, String key) {
    return o.rejections().stream().filter(r -> key.equals(r.key())).toList();
  }

  /** A json document whose partition under kcat (CRC-32) differs from the Java client's. */
  private static String keyOnAnotherPartitionForKcat() {
    for (int n = 0; ; n++) {
      String key = "json/mixed-" + n;
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(bytes);
      int kcatPartition = (int) (crc.getValue() % PARTITIONS);
      int javaPartition = Utils.toPositive(Utils.murmur2(bytes)) % PARTITIONS;
      if (kcatPartition != javaPartition) {
        return key;
      }
    }
  }

  private JsonNode document(String doc) throws Exception {
    HttpResponse<String> response = get("/docs/" + doc);
    assertThat(response.statusCode())
        .as("GET /docs/" + doc + ": " + response.body())
        .isEqualTo(200);
    return Json.parse(response.body());
  }

  private double metric(String name) throws Exception {
    return get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.httpPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Chat messages in order, as "from: text". */
  private static List<String> texts(JsonNode messages) {
    List<String> out = new ArrayList<>();
    messages.forEach(m -> out.add(m.path("from").asText() + ": " + m.path("text").asText()));
    return out;
  }
}
