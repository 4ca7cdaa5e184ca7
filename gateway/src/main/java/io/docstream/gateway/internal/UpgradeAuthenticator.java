package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * Reads the JWT of the upgrade request ({@code Authorization: Bearer} or {@code ?token=}) and
 * records the viewer, or why the token failed, on the channel. The upgrade goes ahead either way: a
 * browser sees close codes, not HTTP statuses, so a bad token is answered by closing the WebSocket
 * with 4001 once it is open.
 */
final class UpgradeAuthenticator extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final AttributeKey<Viewer> VIEWER = AttributeKey.valueOf("docstream.viewer");
  static final AttributeKey<String> AUTH_FAILURE = AttributeKey.valueOf("docstream.authFailure");
  private static final String BEARER = "bearer ";

  private final JwtAuthenticator authenticator;

  UpgradeAuthenticator(JwtAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    try {
      ctx.channel().attr(VIEWER).set(authenticator.authenticate(token(request)));
    } catch (DocstreamException e) {
      ctx.channel().attr(AUTH_FAILURE).set(e.getMessage());
    }
    ctx.fireChannelRead(request.retain());
  }

  static String token(FullHttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return header.substring(BEARER.length()).strip();
    }
    List<String> query = new QueryStringDecoder(request.uri()).parameters().get("token");
    return query == null || query.isEmpty() ? null : query.get(0);
  }
}
