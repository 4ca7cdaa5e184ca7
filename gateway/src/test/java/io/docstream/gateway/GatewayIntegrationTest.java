package io.docstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.topology.ProcessorApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path over real sockets: a real broker in its own JVM, an in-process processor, the
 * gateway, and java.net.http WebSocket clients.
 */
class GatewayIntegrationTest {
  private static final String PREFIX = "gw";
  private static final long WAIT_SECONDS = 20;

  @TempDir static Path dir;
  private static ProcessorApp processor;
  private static GatewayApp gateway;

  @BeforeAll
  static void start() throws Exception {
    processor = TestProcessor.start(PREFIX, dir.resolve("state"));
    gateway =
        TestGateway.start(
            PREFIX,
            processor,
            Map.of(
                "gateway.space.json.read",
                "anyone",
                "gateway.space.json.readers./private",
                "/members"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldAckAfterCommitAndResumeWithoutGapOrRepeat() throws Exception {
    String doc = "json/it-resume";
    List<Long> seen = new ArrayList<>();
    try (WsClient bob = WsClient.connect(gateway.port(), Tokens.valid("bob"))) {
      // Given alice subscribed to a new document
      WsClient alice = WsClient.connect(gateway.port(), Tokens.valid("alice"));
      alice.send("{\"op\":\"sub\",\"doc\":\"" + doc + "\"}");
      JsonNode snapshot = alice.next(WAIT_SECONDS);
      assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
      assertThat(snapshot.get("seq").asLong()).isZero();
      assertThat(snapshot.get("reset").asBoolean()).isFalse();

      // When she sends three messages, each is acked after its delta
      for (int i = 1; i <= 3; i++) {
        alice.send(send(doc, "a-" + i, "{\"n\":" + i + "}"));
        JsonNode delta = alice.next(WAIT_SECONDS);
        assertThat(delta.get("type").asText()).isEqualTo("delta");
        assertThat(delta.get("patch")).isEqualTo(Json.parse("{\"n\":" + i + "}"));
        seen.add(delta.get("seq").asLong());
        JsonNode ack = alice.next(WAIT_SECONDS);
        assertThat(ack)
            .isEqualTo(
                Json.parse(
                    "{\"type\":\"ack\",\"id\":\"a-"
                        + i
                        + "\",\"doc\":\""
                        + doc
                        + "\",\"seq\":"
                        + delta.get("seq").asLong()
                        + "}"));
      }

      // And her connection drops while bob sends two more
      alice.abort();
      for (int i = 4; i <= 5; i++) {
        bob.send(send(doc, "b-" + i, "{\"n\":" + i + "}"));
        assertThat(bob.next(WAIT_SECONDS).get("type").asText()).isEqualTo("ack");
      }

      // Then a resume with since gets exactly what she missed, then live deltas
      try (WsClient again = WsClient.connect(gateway.port(), Tokens.valid("alice"))) {
        again.send("{\"op\":\"sub\",\"doc\":\"" + doc + "\",\"since\":3}");
        again.send(send(doc, "a-6", "{\"n\":6}"));
        List<JsonNode> frames = new ArrayList<>();
        while (frames.stream().noneMatch(f -> f.get("type").asText().equals("ack"))) {
          frames.add(again.next(WAIT_SECONDS));
        }
        frames.addAll(again.drain(300));
        assertThat(frames).noneMatch(f -> f.get("type").asText().equals("snapshot"));
        frames.stream()
            .filter(f -> f.get("type").asText().equals("delta"))
            .forEach(f -> seen.add(f.get("seq").asLong()));
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

        // And a resend of an applied id is acked with the seq it was applied at
        again.send(send(doc, "a-2", "{\"n\":2}"));
        JsonNode dup = again.next(WAIT_SECONDS);
        assertThat(dup.get("type").asText()).isEqualTo("ack");
        assertThat(dup.get("seq").asLong()).isEqualTo(2);
      }
    }
  }

  @Test
  void shouldSendNullToAViewerDroppedFromAReadersListAndNeverTheFieldAfter() throws Exception {
    String doc = "json/it-readers";
    try (WsClient alice = WsClient.connect(gateway.port(), Tokens.valid("alice"));
        WsClient bob = WsClient.connect(gateway.port(), Tokens.valid("bob"))) {
      alice.send(send(doc, "r-1", "{\"members\":{\"alice\":1,\"bob\":1},\"private\":\"v1\"}"));
      assertThat(alice.next(WAIT_SECONDS).get("type").asText()).isEqualTo("ack");
      bob.send("{\"op\":\"sub\",\"doc\":\"" + doc + "\"}");
      assertThat(bob.next(WAIT_SECONDS).get("data").get("private").asText()).isEqualTo("v1");

      alice.send(send(doc, "r-2", "{\"members\":{\"bob\":null},\"private\":\"v2\"}"));
      JsonNode dropped = bob.next(WAIT_SECONDS);
      alice.send(send(doc, "r-3", "{\"private\":\"v3\",\"public\":1}"));
      JsonNode after = bob.next(WAIT_SECONDS);

      assertThat(dropped.get("patch"))
          .isEqualTo(Json.parse("{\"members\":{\"bob\":null},\"private\":null}"));
      assertThat(after.get("patch")).isEqualTo(Json.parse("{\"public\":1}"));
      assertThat(bob.drain(300)).isEmpty();
    }
  }

  @Test
  void shouldRejectWithCodeAndRetryFlag() throws Exception {
    try (WsClient carol = WsClient.connect(gateway.port(), Tokens.valid("carol"))) {
      carol.send(send("json/it-reject", "c-1", "[1,2]"));
      JsonNode reject = carol.next(WAIT_SECONDS);
      assertThat(reject.get("type").asText()).isEqualTo("reject");
      assertThat(reject.get("id").asText()).isEqualTo("c-1");
      assertThat(reject.get("code").asInt()).isEqualTo(ErrorCode.PATCH_NOT_OBJECT.code());
      assertThat(reject.get("retry").asBoolean()).isFalse();
    }
  }

  @Test
  void shouldAnswerAnExpiredTokenWith401OnTheUpgradeAndForbidAnonymousSends() throws Exception {
    String expired = Tokens.hs256("mallory", Instant.now().minusSeconds(60));
    String answer = RawWebSocket.refusedUpgrade(gateway.port(), expired);
    assertThat(answer).startsWith("HTTP/1.1 401 ");
    JsonNode body = Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(body.get("code").asInt()).isEqualTo(ErrorCode.UNAUTHENTICATED.code());
    assertThat(body.get("retry").asBoolean()).isFalse();

    try (WsClient anonymous = WsClient.connect(gateway.port(), null)) {
      anonymous.send(send("json/it-anon", "x-1", "{\"n\":1}"));
      JsonNode reject = anonymous.next(WAIT_SECONDS);
      assertThat(reject.get("code").asInt()).isEqualTo(ErrorCode.FORBIDDEN.code());
      anonymous.send("{\"op\":\"sub\",\"doc\":\"json/it-anon\"}");
      assertThat(anonymous.next(WAIT_SECONDS).get("type").asText()).isEqualTo("snapshot");
    }
  }

  @Test
  void shouldCloseWith1009OnAFrameOverTheLimit() throws Exception {
    try (WsClient dave = WsClient.connect(gateway.port(), Tokens.valid("dave"))) {
      String big = "x".repeat(GatewayLimits.defaults().maxFrameBytes() + 1);
      dave.send(send("json/it-big", "d-1", "{\"s\":\"" + big + "\"}"));
      assertThat(dave.awaitClose(WAIT_SECONDS)).isEqualTo(1009);
    }
  }

  /**
   * A client that writes a whole 2 MB frame before it reads (as a single-threaded client does) must
   * still find the close frame: the gateway keeps reading and discarding until the client closes,
   * instead of closing with unread bytes, which answers the client with a reset that discards the
   * close frame on its side.
   */
  @Test
  void shouldLetAClientThatWritesFirstReadClose1009AfterA2MbFrame() throws Exception {
    for (int attempt = 1; attempt <= 15; attempt++) {
      try (RawWebSocket erin = RawWebSocket.connect(gateway.port(), Tokens.valid("erin"), 65_536)) {
        assertThatCode(() -> erin.sendLargeText(2 * 1024 * 1024))
            .as("attempt %d: the client can write its frame without a reset", attempt)
            .doesNotThrowAnyException();
        RawWebSocket.Frame frame = erin.read((int) (WAIT_SECONDS * 1000));
        assertThat(frame).as("attempt %d: a frame before the end", attempt).isNotNull();
        assertThat(frame.opcode()).as("attempt %d", attempt).isEqualTo(RawWebSocket.CLOSE);
        assertThat(frame.closeCode()).as("attempt %d", attempt).isEqualTo(1009);
      }
    }
  }

  @Test
  void shouldServeHealthAndMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("docstream_gateway_connections");
  }

  private static String send(String doc, String id, String body) {
    return "{\"op\":\"send\",\"doc\":\"" + doc + "\",\"id\":\"" + id + "\",\"body\":" + body + "}";
  }

  @Test
  void shouldPingASilentClientAndCloseItOnlyWhenItStaysSilent() throws Exception {
    long intervalMillis = 1_000;
    try (GatewayApp pinging =
            TestGateway.start(
                PREFIX,
                processor,
                Map.of("gateway.ping.interval.ms", Long.toString(intervalMillis)));
        RawWebSocket mute = RawWebSocket.connect(pinging.port(), Tokens.valid("mute"), 64 * 1024);
        WsClient answering = WsClient.connect(pinging.port(), Tokens.valid("alive"))) {
      // A client that never answers gets a ping after one silent interval, then the connection ends
      RawWebSocket.Frame ping = mute.read(10_000);
      assertThat(ping.opcode()).isEqualTo(RawWebSocket.PING);
      long pinged = System.nanoTime();
      RawWebSocket.Frame close = mute.read(10_000);
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1001);
      assertThat(mute.read(10_000)).as("end of stream").isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - pinged))
          .as("a further silent interval after the ping")
          .isGreaterThanOrEqualTo(Duration.ofMillis(intervalMillis / 2));
      assertThat(pinging.registry().scrape()).contains("docstream_gateway_silent_closes_total 1.0");

      // while one that answers pings (java.net.http does by itself) stays, though it sends nothing
      Thread.sleep(2 * intervalMillis);
      assertThat(answering.isClosed()).isFalse();
      answering.send("{\"op\":\"ping\"}");
      assertThat(answering.next(WAIT_SECONDS).path("type").asText()).isEqualTo("pong");
    }
  }
}
