package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * Reads the JWT of the upgrade request ({@code Authorization: Bearer} or {@code ?token=}) and
 * records the viewer on the channel. A token that does not verify (bad signature, expired, no
 * usable subject, or any token when auth is not configured), and a request without a token when no
 * space allows anonymous access, is answered with HTTP 401 and a JSON body carrying code 4001
 * instead of the upgrade: the client learns before any WebSocket opens, and a browser's WebSocket
 * fails without opening.
 */
final class UpgradeAuthenticator extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final AttributeKey<Viewer> VIEWER = AttributeKey.valueOf("docstream.viewer");
  private static final String BEARER = "bearer ";

  private final JwtAuthenticator authenticator;
  private final boolean anonymousAllowed;

  /**
   * @param anonymousAllowed whether some space lets anonymous viewers read or send
   */
  UpgradeAuthenticator(JwtAuthenticator authenticator, boolean anonymousAllowed) {
    this.authenticator = authenticator;
    this.anonymousAllowed = anonymousAllowed;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Viewer viewer;
    try {
      viewer = authenticator.authenticate(token(request));
    } catch (DocstreamException e) {
      refuse(ctx, e.getMessage());
      return;
    }
    if (viewer.anonymous() && !anonymousAllowed) {
      refuse(ctx, "a token is required: no space allows anonymous access");
      return;
    }
    ctx.channel().attr(VIEWER).set(viewer);
    ctx.fireChannelRead(request.retain());
  }

  private static void refuse(ChannelHandlerContext ctx, String reason) {
    byte[] body =
        Json.bytes(
            Json.object()
                .put("code", ErrorCode.UNAUTHENTICATED.code())
                .put("error", reason)
                .put("retry", false));
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED, Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
        .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*") // pages elsewhere may read why
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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
