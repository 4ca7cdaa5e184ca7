package io.docstream.gateway.internal;

import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/** The pipeline of every connection: one handler per concern. */
public final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
  private static final StaticFiles STATIC_FILES = new StaticFiles("web");
  public static final String WEBSOCKET_PATH = "/ws";
  private static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final Hub hub;
  private final SpacePolicies policies;
  private final GatewayLimits limits;
  private final GatewayMetrics metrics;
  private final JwtAuthenticator authenticator;
  private final Supplier<String> scrape;
  private final BooleanSupplier healthy;
  private final Function<String, String> devTokens;
  private final long pingIntervalMillis;

  public GatewayInitializer(
      Hub hub,
      SpacePolicies policies,
      GatewayLimits limits,
      GatewayMetrics metrics,
      JwtAuthenticator authenticator,
      Supplier<String> scrape,
      BooleanSupplier healthy,
      Function<String, String> devTokens,
      long pingIntervalMillis) {
    this.hub = hub;
    this.policies = policies;
    this.limits = limits;
    this.metrics = metrics;
    this.authenticator = authenticator;
    this.scrape = scrape;
    this.healthy = healthy;
    this.devTokens = devTokens;
    this.pingIntervalMillis = pingIntervalMillis;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline p = channel.pipeline();
    p.addLast("linger", new LingeringClose());
    p.addLast("http", new HttpServerCodec());
    p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
    p.addLast("routes", new HttpRoutes(WEBSOCKET_PATH, scrape, healthy, devTokens, STATIC_FILES));
    p.addLast("auth", new UpgradeAuthenticator(authenticator, policies.anonymousAllowed()));
    p.addLast(
        "websocket",
        new WebSocketServerProtocolHandler(
            WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .checkStartsWith(true)
                .maxFramePayloadLength(limits.maxFrameBytes())
                .closeOnProtocolViolation(false) // ProtocolHandler sends the close frame
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
                .forceCloseTimeoutMillis(Outbox.CLOSE_GRACE_MILLIS)
                .dropPongFrames(true)
                .build()));
    if (pingIntervalMillis > 0) {
      p.addLast("liveness", new Liveness(pingIntervalMillis, metrics));
    }
    p.addLast("fragments", new WebSocketFrameAggregator(limits.maxFrameBytes()));
    Outbox outbox = new Outbox(limits, metrics);
    p.addLast("outbox", outbox);
    p.addLast("protocol", new ProtocolHandler(hub, policies, limits, metrics, outbox));
  }
}
