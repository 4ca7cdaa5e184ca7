package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.Viewer;
import io.docstream.gateway.internal.Fakes.FakeCommands;
import io.docstream.gateway.internal.Fakes.FakeReads;
import io.docstream.gateway.internal.Fakes.FakeUpstream;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProtocolHandlerTest {
  private final FakeCommands commands = new FakeCommands();
  private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
  private final GatewayLimits limits =
      GatewayLimits.defaults().withMaxSubscriptions(2).withSendsPerSecond(2);
  private final Hub hub =
      new Hub(
          2,
          listener -> {
            FakeUpstream upstream = new FakeUpstream();
            upstream.listener = listener;
            return upstream;
          },
          new FakeReads(),
          commands,
          SpacePolicies.fromProperties(Map.of("gateway.space.chat.send", "nobody")),
          limits,
          metrics);

  @AfterEach
  void close() {
    hub.close();
  }

  private EmbeddedChannel open(Viewer viewer) {
    Outbox outbox = new Outbox(limits, metrics);
    EmbeddedChannel channel =
        new EmbeddedChannel(
            outbox,
            new ProtocolHandler(
                hub,
                SpacePolicies.fromProperties(Map.of("gateway.space.chat.send", "nobody")),
                limits,
                metrics,
                outbox));
    channel.attr(UpgradeAuthenticator.VIEWER).set(viewer);
    channel
        .pipeline()
        .fireUserEventTriggered(
            new WebSocketServerProtocolHandler.HandshakeComplete(
                "/ws", new DefaultHttpHeaders(), null));
    return channel;
  }

  private static JsonNode nextText(EmbeddedChannel channel) {
    Object out = channel.readOutbound();
    assertThat(out).isInstanceOf(TextWebSocketFrame.class);
    TextWebSocketFrame frame = (TextWebSocketFrame) out;
    try {
      return Json.parse(frame.text());
    } finally {
      frame.release();
    }
  }

  private static int closeCode(EmbeddedChannel channel) {
    Object out = channel.readOutbound();
    assertThat(out).isInstanceOf(CloseWebSocketFrame.class);
    CloseWebSocketFrame close = (CloseWebSocketFrame) out;
    try {
      return close.statusCode();
    } finally {
      close.release();
    }
  }

  @Test
  void shouldAnswerPingWithPong() {
    EmbeddedChannel channel = open(Viewer.of("alice"));
    channel.writeInbound(new TextWebSocketFrame("{\"op\":\"ping\"}"));
    assertThat(nextText(channel)).isEqualTo(Json.parse("{\"type\":\"pong\"}"));
    assertThat(metrics.connections()).isEqualTo(1);
    channel.close();
    assertThat(metrics.connections()).isZero();
  }

  @Test
  void shouldSendAnErrorAndCloseWith1008OnAProtocolViolation() {
    EmbeddedChannel channel = open(Viewer.of("alice"));
    channel.writeInbound(new TextWebSocketFrame("{\"op\":\"fly\"}"));
    JsonNode error = nextText(channel);
    assertThat(error.get("type").asText()).isEqualTo("error");
    assertThat(error.get("code").asInt()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION.code());
    assertThat(closeCode(channel)).isEqualTo(1008);
  }

  @Test
  void shouldRefuseBinaryFramesWith1008() {
    EmbeddedChannel channel = open(Viewer.of("alice"));
    channel.writeInbound(new BinaryWebSocketFrame());
    nextText(channel);
    assertThat(closeCode(channel)).isEqualTo(1008);
  }

  @Test
  void shouldAnswerABadDocumentKeyWithoutClosing() {
    EmbeddedChannel channel = open(Viewer.of("alice"));
    channel.writeInbound(new TextWebSocketFrame("{\"op\":\"sub\",\"doc\":\"nospace\"}"));
    assertThat(nextText(channel).get("code").asInt()).isEqualTo(ErrorCode.DOC_KEY_INVALID.code());
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void shouldForbidReadingWithoutTokenAndSendingWhereTheSpaceSaysNobody() {
    EmbeddedChannel anonymous = open(Viewer.ANONYMOUS);
    anonymous.writeInbound(new TextWebSocketFrame("{\"op\":\"sub\",\"doc\":\"todo/a\"}"));
    JsonNode error = nextText(anonymous);
    assertThat(error.get("code").asInt()).isEqualTo(4003);
    assertThat(error.get("doc").asText()).isEqualTo("todo/a");

    EmbeddedChannel alice = open(Viewer.of("alice"));
    alice.writeInbound(
        new TextWebSocketFrame(
            "{\"op\":\"send\",\"doc\":\"chat/a\",\"id\":\"m1\",\"body\":{\"text\":\"hi\"}}"));
    JsonNode reject = nextText(alice);
    assertThat(reject.get("type").asText()).isEqualTo("reject");
    assertThat(reject.get("id").asText()).isEqualTo("m1");
    assertThat(reject.get("code").asInt()).isEqualTo(4003);
  }

  @Test
  void shouldLimitSubscriptionsPerConnection() {
    EmbeddedChannel channel = open(Viewer.of("alice"));
    for (String doc : new String[] {"todo/a", "todo/b", "todo/a", "todo/c"}) {
      channel.writeInbound(new TextWebSocketFrame("{\"op\":\"sub\",\"doc\":\"" + doc + "\"}"));
    }
    hub.barrier().join();
    channel.runPendingTasks();
    java.util.List<JsonNode> errors = new java.util.ArrayList<>();
    while (!channel.outboundMessages().isEmpty()) {
      errors.add(nextText(channel));
    }
    // the hub's 4012 for the second todo/a comes from its thread, in no set order with the 4009
    assertThat(errors)
        .extracting(e -> e.get("code").asInt() + " " + e.get("doc").asText())
        .containsExactlyInAnyOrder(
            ErrorCode.ALREADY_SUBSCRIBED.code() + " todo/a",
            ErrorCode.TOO_MANY_SUBSCRIPTIONS.code() + " todo/c");
  }

  @Test
  void shouldRejectSendsBeyondTheRateWithARetryableCode() {
    EmbeddedChannel channel = open(Viewer.of("alice"));
    for (int i = 0; i < 3; i++) {
      channel.writeInbound(
          new TextWebSocketFrame(
              "{\"op\":\"send\",\"doc\":\"todo/a\",\"id\":\"m" + i + "\",\"body\":{}}"));
    }
    JsonNode reject = nextText(channel);
    assertThat(reject.get("id").asText()).isEqualTo("m2");
    assertThat(reject.get("code").asInt()).isEqualTo(ErrorCode.SEND_RATE_EXCEEDED.code());
    assertThat(reject.get("retry").asBoolean()).isTrue();
  }
}
