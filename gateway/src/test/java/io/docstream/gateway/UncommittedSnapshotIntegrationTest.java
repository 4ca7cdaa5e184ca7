package io.docstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.broker.SharedBroker;
import io.docstream.document.MergePatch;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client whose snapshot shows a message the processor applied but never committed: the processor
 * is killed (SIGKILL, its own JVM) before its commit, the transaction aborts, and the processor
 * that takes over refuses that message (a smaller {@code max.delta.bytes}) and gives its seq to
 * another. The client must end with the committed state, through a reset snapshot, with no gap
 * after it. Real broker, real sockets.
 */
class UncommittedSnapshotIntegrationTest {
  private static final String PREFIX = "gwabort";
  private static final String DOC = "json/abort";
  private static final Duration START = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void shouldResetAClientToTheCommittedStateWhenItsSnapshotIsRolledBack() throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    TopicSetup.ensure(
        TopicSetup.adminProps(bootstrap, Map.of()), new TopicNames(PREFIX), 3, (short) 1);
    int httpPort = ProcessorJvm.freePort();
    Map<String, String> base = new HashMap<>();
    base.put("bootstrap.servers", bootstrap);
    base.put("topic.prefix", PREFIX);
    base.put("application.id", PREFIX + "-it");
    base.put("state.dir", dir.resolve("state").toString());
    base.put("http.port", Integer.toString(httpPort));
    base.put("kafka.session.timeout.ms", "10000"); // the new processor takes over within 10 s

    Map<String, String> slow = new HashMap<>(base);
    slow.put("commit.interval.ms", "60000");
    slow.put("kafka.producer.transaction.timeout.ms", "60000");
    Map<String, String> strict = new HashMap<>(base);
    strict.put("max.delta.bytes", "1024");

    try (ProcessorJvm first = ProcessorJvm.start(slow, dir, "first");
        KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      first.awaitHealthy(START);
      try (GatewayApp gateway = TestGateway.start(PREFIX, first.url(), Map.of());
          WsClient ann = WsClient.connect(gateway.port(), Tokens.valid("ann"))) {
        // Given a processor that applied a message but will not commit it for a minute
        send(producer, "m1", "{\"big\":\"" + "x".repeat(3000) + "\"}");
        JsonNode uncommitted =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(first.url() + "/docs/" + DOC), s -> s.path("seq").asLong() == 1);

        // And a client whose snapshot shows it
        ann.send("{\"op\":\"sub\",\"doc\":\"" + DOC + "\"}");
        JsonNode snapshot = ann.next(20);
        assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
        assertThat(snapshot.get("seq").asLong()).isEqualTo(1);
        assertThat(snapshot.get("data").has("big")).isTrue();

        // When the processor dies before committing, and the one that takes over refuses that
        // message and applies another at its seq
        first.killHard();
        try (ProcessorJvm second = ProcessorJvm.start(strict, dir, "second")) {
          second.awaitHealthy(START);
          send(producer, "m2", "{\"small\":1}");
          JsonNode committed =
              await()
                  .atMost(Duration.ofSeconds(120))
                  .ignoreExceptions()
                  .until(
                      () -> get(second.url() + "/docs/" + DOC + "/deltas?after=0").get("deltas"),
                      d -> d.size() >= 1);
          assertThat(committed.get(0).get("ids")).as("seq 1 was redone").hasToString("[\"m2\"]");

          Assumptions.assumeTrue(
              uncommitted.hasNonNull("hash"),
              "the read API reports no content hash: the gateway cannot tell the snapshot from"
                  + " the committed state (the processor side of hashes is not on this branch)");

          // Then the client gets the committed state as a reset, and every delta after it
          ann.send(
              "{\"op\":\"send\",\"doc\":\"" + DOC + "\",\"id\":\"a-1\",\"body\":{\"after\":1}}");
          List<JsonNode> frames = new ArrayList<>();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> {
                    frames.addAll(ann.drain(200));
                    return frames.stream().anyMatch(f -> f.path("type").asText().equals("ack"));
                  });
          ObjectNode data = (ObjectNode) snapshot.get("data");
          long seq = snapshot.get("seq").asLong();
          boolean reset = false;
          for (JsonNode f : frames) {
            switch (f.path("type").asText()) {
              case "snapshot" -> {
                reset |= f.get("reset").asBoolean();
                data = (ObjectNode) f.get("data");
                seq = f.get("seq").asLong();
              }
              case "delta" -> {
                assertThat(f.get("seq").asLong()).as("no gap").isEqualTo(seq + 1);
                data = (ObjectNode) MergePatch.apply(data, f.get("patch"));
                seq = f.get("seq").asLong();
              }
              default -> {}
            }
          }
          assertThat(reset).as("a reset snapshot replaced the rolled-back state").isTrue();
          JsonNode now = get(second.url() + "/docs/" + DOC);
          assertThat(seq).isEqualTo(now.get("seq").asLong());
          assertThat(data).isEqualTo(now.get("data"));
          assertThat(data.has("big")).isFalse();
        }
      }
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void send(KafkaProducer<String, byte[]> producer, String id, String body)
      throws Exception {
    Command command = new Command(id, Json.parse(body), "tester", null, null);
    producer
        .send(new ProducerRecord<>(new TopicNames(PREFIX).commands(), DOC, Json.bytes(command)))
        .get();
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.parse(response.body());
  }
}
