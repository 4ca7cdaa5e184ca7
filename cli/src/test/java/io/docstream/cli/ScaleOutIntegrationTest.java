package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processor instances share the partitions; either one answers for every document. */
class ScaleOutIntegrationTest {
  private static final int DOCS = 24;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeEveryDocumentFromEitherInstance() throws Exception {
    String prefix = "scale-" + UUID.randomUUID();
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(
        TopicSetup.adminProps(SharedBroker.bootstrapServers(), Map.of()), topics, 4, (short) 1);
    try (ProcessorApp a = start(prefix, dir.resolve("a"));
        ProcessorApp b = start(prefix, dir.resolve("b"))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> activeTasks(a) > 0 && activeTasks(b) > 0 && running(a) && running(b));

      Properties props = new Properties();
      props.put("bootstrap.servers", SharedBroker.bootstrapServers());
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < DOCS; i++) {
          Command c = Command.of("m" + i, Json.parse("{\"n\":" + i + "}"));
          producer.send(new ProducerRecord<>(topics.commands(), "json/d" + i, Json.bytes(c)));
        }
      }

      for (int i = 0; i < DOCS; i++) {
        String path = "/docs/json/d" + i;
        int n = i;
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  JsonNode fromA = get(a, path);
                  JsonNode fromB = get(b, path);
                  assertThat(fromA.get("seq").longValue()).isEqualTo(1);
                  assertThat(fromA.get("data").get("n").intValue()).isEqualTo(n);
                  assertThat(fromB).isEqualTo(fromA);
                });
      }
    }
  }

  private ProcessorApp start(String prefix, Path stateDir) throws Exception {
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", SharedBroker.bootstrapServers());
    settings.put("application.id", prefix);
    settings.put("topic.prefix", prefix);
    settings.put("http.port", "0");
    settings.put("commit.interval.ms", "50");
    settings.put("state.dir", stateDir.toString());
    return ProcessorApp.start(ProcessorConfig.from(new ConfigReader(settings)));
  }

  private static boolean running(ProcessorApp app) {
    return app.streams().state() == KafkaStreams.State.RUNNING;
  }

  private static long activeTasks(ProcessorApp app) {
    return app.streams().metadataForLocalThreads().stream()
        .mapToLong(t -> t.activeTasks().size())
        .sum();
  }

  private JsonNode get(ProcessorApp app, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }
}
