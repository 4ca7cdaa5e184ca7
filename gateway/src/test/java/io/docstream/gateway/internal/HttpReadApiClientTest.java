package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.docstream.serdes.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpReadApiClientTest {
  private static final String SECRET = "read-api-secret";

  private HttpServer server;
  private final List<String> secretsSeen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startProcessorStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/docs/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** Answers like a processor with {@code http.secret} set: 401 without the right header. */
  private void answer(HttpExchange exchange) throws IOException {
    String secret = exchange.getRequestHeaders().getFirst(HttpReadApiClient.SECRET_HEADER);
    secretsSeen.add(String.valueOf(secret));
    boolean deltas = exchange.getRequestURI().getPath().endsWith("/deltas");
    String body =
        deltas
            ? "{\"doc\":\"json/a\",\"deltas\":[{\"seq\":1,\"patch\":{\"n\":1},\"ids\":[],\"ts\":0,"
                + "\"hash\":\"00000000000000aa\"}]}"
            : "{\"doc\":\"json/a\",\"seq\":1,\"data\":{\"n\":1},\"hash\":\"00000000000000aa\"}";
    int status = SECRET.equals(secret) ? 200 : 401;
    if (status != 200) {
      body = "{\"code\":4001,\"error\":\"bad secret\"}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private HttpReadApiClient client(String secret) {
    return new HttpReadApiClient(
        List.of("http://127.0.0.1:" + server.getAddress().getPort()), secret, 2000);
  }

  @Test
  void shouldSendTheSecretOnEveryRequestAndReadTheSnapshotsHash() {
    try (HttpReadApiClient reads = client(SECRET)) {
      ReadApiClient.Snapshot snapshot = reads.snapshot("json/a").join();
      assertThat(snapshot.seq()).isEqualTo(1);
      assertThat(snapshot.data()).isEqualTo(Json.parse("{\"n\":1}"));
      assertThat(snapshot.hash()).isEqualTo("00000000000000aa");
      assertThat(reads.deltasAfter("json/a", 0).join().orElseThrow().get(0).hash())
          .isEqualTo("00000000000000aa");
    }
    assertThat(secretsSeen).containsExactly(SECRET, SECRET);
  }

  @Test
  void shouldSendNoSecretHeaderWhenNoneIsConfigured() {
    try (HttpReadApiClient reads = client(null)) {
      assertThatThrownBy(() -> reads.snapshot("json/a").join())
          .isInstanceOf(CompletionException.class)
          .hasMessageContaining("HTTP 401");
    }
    assertThat(secretsSeen).containsExactly("null");
  }
}
