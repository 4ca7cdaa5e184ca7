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
          new HttpRoutes(
              "/ws",
              () -> "docstream_gateway_connections 1\n",
              () -> true,
              viewer -> "token-for-" + viewer,
              new StaticFiles("web")));

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
  void shouldServeTheDemoPageAndTheClientLibraryWithTheirTypes() {
    FullHttpResponse page = get("/");
    assertThat(page.status().code()).isEqualTo(200);
    assertThat(page.headers().get("Content-Type")).startsWith("text/html");
    assertThat(body(page)).contains("<html");

    FullHttpResponse client = get("/js/docstream.js");
    assertThat(client.headers().get("Content-Type")).startsWith("text/javascript");
    assertThat(body(client)).contains("export");
  }

  @Test
  void shouldNotServeFilesOutsideTheWebFolder() {
    assertThat(get("/../logback-test.xml").status().code()).isEqualTo(404);
    assertThat(get("/js/../../io/docstream/gateway/GatewayApp.class").status().code())
        .isEqualTo(404);
  }

  @Test
  void shouldMintDevTokensForValidViewerNamesOnly() {
    FullHttpResponse ok = get("/dev/token?sub=alice");
    assertThat(Json.parse(body(ok)).get("token").asText()).isEqualTo("token-for-alice");
    FullHttpResponse bad = get("/dev/token?sub=a%20b");
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(Json.parse(body(bad)).get("code").asInt()).isEqualTo(4400);
  }

  @Test
  void shouldHideDevTokensUnlessEnabled() {
    EmbeddedChannel off =
        new EmbeddedChannel(
            new HttpRoutes("/ws", () -> "", () -> true, null, new StaticFiles("web")));
    off.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/dev/token?sub=alice"));
    FullHttpResponse response = off.readOutbound();
    assertThat(response.status().code()).isEqualTo(404);
    response.release();
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
