package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.SharedBroker;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway JVMs in front of one processor (shared broker); clients connected to both keep
 * sending; one gateway is killed with {@code kill -9}. Its clients connect to the survivor, resume
 * with {@code since} and send their unacked ids again. Per client: every document's frames are
 * seq-ordered with no gap and no repeat (a reset snapshot restarts the count), its state equals the
 * processor's, and every id it sent is applied once and acked once, at the seq it was applied at.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayKillIntegrationTest {
  private static final String READ_SECRET = "gateway-kill-read-secret";
  private static final List<String> DOCS = List.of("json/gk-a", "json/gk-b", "json/gk-c");

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();
  private ProcessorApp processor;

  @AfterEach
  void stop() {
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldKeepEveryClientGapFreeWhenAGatewayOfTwoIsKilled() throws Exception {
    // Given a processor and two gateway JVMs in front of it
    String bootstrap = SharedBroker.bootstrapServers();
    TopicNames topics = new TopicNames("gwkill-" + UUID.randomUUID().toString().substring(0, 8));
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, 3, (short) 1);
    processor = startProcessor(bootstrap, topics);
    Path logs = Path.of("target", "it-logs", topics.prefix());
    try (GatewayKillRound round =
        GatewayKillRound.start(
            bootstrap,
            topics.prefix(),
            "http://127.0.0.1:" + processor.httpPort(),
            READ_SECRET,
            DOCS,
            temp,
            logs)) {
      // When clients on both keep sending and gateway 0 is killed with kill -9
      // Then every client ends on gateway 1, gap-free, equal to the processor, each id once
      GatewayKillRound.Figures figures = round.killAndCheck(this::get);
      System.out.printf("gateway kill: %s%n", figures);
    }
  }

  private ProcessorApp startProcessor(String bootstrap, TopicNames topics)
      throws IOException, InterruptedException {
    ProcessorApp app =
        ProcessorApp.start(
            ProcessorConfig.from(
                new ConfigReader(
                    Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "application.id",
                        topics.prefix(),
                        "topic.prefix",
                        topics.prefix(),
                        "state.dir",
                        temp.resolve("state").toString(),
                        "http.port",
                        "0",
                        "http.secret",
                        READ_SECRET,
                        "commit.interval.ms",
                        "50"))));
    app.awaitRunning(Duration.ofSeconds(60));
    return app;
  }

  private JsonNode get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.httpPort() + path))
            .header(ReadApiOptions.SECRET_HEADER, READ_SECRET)
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return Json.parse(response.body());
  }
}
