package io.docstream.gateway.internal;

import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.SpacePolicy;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol v1 for one connection: opens the session once the handshake completes, turns client
 * frames into hub requests after checking the space's rules and the connection's limits, and ends
 * the session when the channel closes. A frame that breaks the protocol is answered with an error
 * frame and a close with 1008.
 */
final class ProtocolHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(ProtocolHandler.class);

  private final Hub hub;
  private final SpacePolicies policies;
  private final GatewayLimits limits;
  private final GatewayMetrics metrics;
  private final Outbox outbox;
  private final Set<String> subscriptions = new HashSet<>();
  private Connection connection;
  private RateLimiter sends;
  private boolean closing;

  ProtocolHandler(
      Hub hub,
      SpacePolicies policies,
      GatewayLimits limits,
      GatewayMetrics metrics,
      Outbox outbox) {
    this.hub = hub;
    this.policies = policies;
    this.limits = limits;
    this.metrics = metrics;
    this.outbox = outbox;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      Viewer viewer = ctx.channel().attr(UpgradeAuthenticator.VIEWER).get();
      connection =
          new Connection(
              ctx.channel(), viewer == null ? Viewer.ANONYMOUS : viewer, outbox, hub.handOff());
      sends = new RateLimiter(limits.sendsPerSecond(), System.nanoTime());
      Connection session = connection;
      outbox.onResync(doc -> hub.resync(session, doc));
      metrics.connections.incrementAndGet();
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (connection == null || closing) {
      return; // closing: what the client still sends is discarded
    }
    if (!(frame instanceof TextWebSocketFrame text)) {
      violation(ctx, "only text frames are allowed");
      return;
    }
    try {
      handle(ClientOp.parse(text.text()));
    } catch (DocstreamException e) {
      if (e.errorCode() == ErrorCode.PROTOCOL_VIOLATION) {
        violation(ctx, e.getMessage());
      } else {
        outbox.offer(OutFrame.error(e.errorCode(), e.getMessage(), null));
      }
    }
  }

  private void handle(ClientOp op) {
    if (op instanceof ClientOp.Ping) {
      outbox.offer(OutFrame.pong());
    } else if (op instanceof ClientOp.Sub sub) {
      subscribe(sub);
    } else if (op instanceof ClientOp.Unsub unsub) {
      String doc = unsub.doc().toString();
      if (subscriptions.remove(doc)) {
        outbox.forget(doc);
        hub.unsubscribe(connection, unsub.doc());
      }
    } else if (op instanceof ClientOp.Send send) {
      send(send);
    }
  }

  private void subscribe(ClientOp.Sub sub) {
    Viewer viewer = connection.viewer();
    String doc = sub.doc().toString();
    SpacePolicy policy = policies.policy(sub.doc().space());
    if (!policy.mayRead(viewer)) {
      outbox.offer(OutFrame.error(ErrorCode.FORBIDDEN, viewer + " may not read " + doc, doc));
    } else if (!subscriptions.contains(doc) && subscriptions.size() >= limits.maxSubscriptions()) {
      outbox.offer(
          OutFrame.error(
              ErrorCode.TOO_MANY_SUBSCRIPTIONS,
              "at most " + limits.maxSubscriptions() + " subscriptions per connection",
              doc));
    } else {
      if (subscriptions.add(doc)) {
        outbox.forget(doc);
      }
      hub.subscribe(connection, sub.doc(), sub.since()); // the hub refuses a second one (4012)
    }
  }

  private void send(ClientOp.Send send) {
    Viewer viewer = connection.viewer();
    String doc = send.doc().toString();
    if (!policies.policy(send.doc().space()).maySend(viewer)) {
      outbox.offer(
          OutFrame.reject(
              send.id(), doc, ErrorCode.FORBIDDEN.code(), viewer + " may not send to " + doc));
    } else if (!sends.tryAcquire(System.nanoTime())) {
      outbox.offer(
          OutFrame.reject(
              send.id(),
              doc,
              ErrorCode.SEND_RATE_EXCEEDED.code(),
              "more than " + limits.sendsPerSecond() + " sends a second"));
    } else {
      hub.send(connection, send.doc(), send.id(), send.body());
    }
  }

  private void violation(ChannelHandlerContext ctx, String message) {
    outbox.offer(OutFrame.error(ErrorCode.PROTOCOL_VIOLATION, message, null));
    close(ctx, WebSocketCloseStatus.POLICY_VIOLATION.code(), message);
  }

  private void close(ChannelHandlerContext ctx, int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
    LingeringClose.afterCloseFrame(ctx.channel());
    ctx.writeAndFlush(new CloseWebSocketFrame(code, shortReason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (connection != null) {
      hub.disconnect(connection);
      metrics.connections.decrementAndGet();
      connection = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "frame too large");
    } else if (cause instanceof CorruptedWebSocketFrameException corrupt) {
      close(ctx, corrupt.closeStatus().code(), corrupt.closeStatus().reasonText());
    } else if (cause instanceof CorruptedFrameException) {
      close(ctx, WebSocketCloseStatus.PROTOCOL_ERROR.code(), "corrupt frame");
    } else {
      LOG.debug("closing {} after an error", ctx.channel(), cause);
      ctx.close();
    }
  }
}
