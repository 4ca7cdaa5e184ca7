package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.gateway.GatewayLimits;
import io.docstream.serdes.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private static final String DOC = "chat/lobby";

  private final List<String> resyncs = new ArrayList<>();

  private EmbeddedChannel channel(Outbox outbox) {
    EmbeddedChannel channel = new EmbeddedChannel(outbox);
    outbox.onResync(resyncs::add);
    return channel;
  }

  private static Outbox outbox(long maxBacklogBytes, int maxOverflows) {
    GatewayLimits d = GatewayLimits.defaults();
    return new Outbox(
        new GatewayLimits(
            d.maxFrameBytes(),
            maxBacklogBytes,
            maxOverflows,
            d.overflowWindowMillis(),
            d.maxSubscriptions(),
            d.sendsPerSecond(),
            d.maxPendingSends(),
            d.ackTimeoutMillis(),
            d.historyDeltas(),
            d.snapshotTimeoutMillis()),
        new GatewayMetrics(new SimpleMeterRegistry()));
  }

  private static void writable(EmbeddedChannel channel, boolean writable) {
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    channel.runPendingTasks();
  }

  private static List<String> written(EmbeddedChannel channel) {
    List<String> out = new ArrayList<>();
    Object msg;
    while ((msg = channel.readOutbound()) != null) {
      if (msg instanceof TextWebSocketFrame text) {
        out.add(Json.parse(text.text()).get("type").asText());
        text.release();
      } else {
        out.add(msg.getClass().getSimpleName());
      }
    }
    return out;
  }

  private static OutFrame delta(String doc, long seq) {
    return OutFrame.delta(doc, seq, Json.parse("{\"text\":\"0123456789012345678901234567890\"}"));
  }

  @Test
  void shouldWriteAtOnceWhileTheChannelIsWritable() {
    Outbox outbox = outbox(1000, 3);
    EmbeddedChannel channel = channel(outbox);

    outbox.offer(OutFrame.snapshot(DOC, 1, Json.object(), false));
    outbox.offer(delta(DOC, 2));

    assertThat(written(channel)).containsExactly("snapshot", "delta");
    assertThat(outbox.queuedBytes()).isZero();
  }

  @Test
  void shouldDropTheDocumentsBacklogAndAskForASnapshotOnceCaughtUp() {
    Outbox outbox = outbox(300, 3);
    EmbeddedChannel channel = channel(outbox);
    writable(channel, false);

    outbox.offer(OutFrame.snapshot("chat/other", 1, Json.object(), false));
    outbox.offer(OutFrame.ack("c1", DOC, 1));
    for (long seq = 2; seq < 10; seq++) {
      outbox.offer(delta(DOC, seq));
    }
    assertThat(outbox.queuedBytes()).isLessThanOrEqualTo(300);
    assertThat(resyncs).isEmpty();

    writable(channel, true);

    assertThat(written(channel)).containsExactly("snapshot", "ack");
    assertThat(resyncs).containsExactly(DOC);
    outbox.offer(delta(DOC, 10)); // sent before the resync was handled: dropped
    outbox.offer(OutFrame.snapshot(DOC, 10, Json.object(), true));
    outbox.offer(delta(DOC, 11));
    assertThat(written(channel)).containsExactly("snapshot", "delta");
  }

  @Test
  void shouldCloseWith4008WhenOverflowsRepeat() {
    Outbox outbox = outbox(200, 1);
    EmbeddedChannel channel = channel(outbox);
    writable(channel, false);

    for (long seq = 1; seq < 30; seq++) {
      outbox.offer(delta("chat/a" + (seq % 3), seq));
    }
    channel.runPendingTasks();

    Object close = channel.readOutbound();
    assertThat(close).isInstanceOf(CloseWebSocketFrame.class);
    assertThat(((CloseWebSocketFrame) close).statusCode()).isEqualTo(4008);
    ((CloseWebSocketFrame) close).release();
    assertThat(channel.isOpen()).isFalse();
  }
}
