package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.Json;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new HttpRoutes("/ws", () -> "docstream_gateway_connections 1\n", () -> true));

  private FullHttpResponse get(String uri) {
    channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
    return channel.readOutbound();
  }

  private static String body(FullHttpResponse response) {
    try {
      return response.content().toString(StandardCharsets.UTF_8);
    } finally {
      response.release();
    }
  }

  @Test
  void shouldServeHealthAndMetrics() {
    FullHttpResponse health = get("/healthz");
    assertThat(health.status().code()).isEqualTo(200);
    assertThat(Json.parse(body(health)).get("ok").asBoolean()).isTrue();

    FullHttpResponse metrics = get("/metrics");
    assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain");
    assertThat(body(metrics)).contains("docstream_gateway_connections");
  }

  @Test
  void shouldAnswerUnknownPathsWith404AndACode() {
    FullHttpResponse response = get("/nope");
    assertThat(response.status().code()).isEqualTo(404);
    assertThat(Json.parse(body(response)).get("code").asInt()).isEqualTo(4404);
  }

  @Test
  void shouldPassTheUpgradePathOnWithItsQuery() {
    channel.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws?token=abc"));
    FullHttpRequest passed = channel.readInbound();
    assertThat(passed.uri()).isEqualTo("/ws?token=abc");
    passed.release();
    assertThat((Object) channel.readOutbound()).isNull();
  }
}
