package io.docstream.gateway.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Finds WebSocket clients that are gone without closing (a closed laptop, a dropped NAT entry),
 * which would otherwise hold their connection and subscriptions for good. Once the handshake is
 * done, a connection that has sent nothing for one interval gets a ping, and one that stays silent
 * for another interval is closed with 1001. WebSocket clients answer pings by themselves, and any
 * bytes from the client count, so a live client never notices.
 */
final class Liveness extends ChannelInboundHandlerAdapter {
  /** Going away. */
  private static final int CLOSE_CODE = 1001;

  private final long intervalMillis;
  private final GatewayMetrics metrics;

  Liveness(long intervalMillis, GatewayMetrics metrics) {
    this.intervalMillis = intervalMillis;
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      ctx.pipeline()
          .addFirst("idle", new IdleStateHandler(intervalMillis, 0, 0, TimeUnit.MILLISECONDS));
    } else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      if (idle.isFirst()) {
        ctx.writeAndFlush(new PingWebSocketFrame());
      } else {
        metrics.silentCloses.increment();
        // a dead peer never takes the close frame: the protocol handler closes anyway after a grace
        ctx.writeAndFlush(new CloseWebSocketFrame(CLOSE_CODE, "no answer to ping"));
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }
}
