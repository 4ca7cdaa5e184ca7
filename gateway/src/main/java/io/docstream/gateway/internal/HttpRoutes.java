package io.docstream.gateway.internal;

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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Plain HTTP: {@code /healthz}, {@code /metrics} (Prometheus text), {@code /dev/token?sub=NAME}
 * when development tokens are on, and the demo page and client library; requests for the WebSocket
 * path go on to the upgrade; anything else is 404 with a code.
 */
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Pattern VIEWER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private final String websocketPath;
  private final Supplier<String> metrics;
  private final BooleanSupplier healthy;
  private final Function<String, String> devTokens;
  private final StaticFiles files;

  /**
   * @param devTokens mints a development token for a viewer, or null when {@code /dev/token} is off
   */
  HttpRoutes(
      String websocketPath,
      Supplier<String> metrics,
      BooleanSupplier healthy,
      Function<String, String> devTokens,
      StaticFiles files) {
    this.websocketPath = websocketPath;
    this.metrics = metrics;
    this.healthy = healthy;
    this.devTokens = devTokens;
    this.files = files;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals(websocketPath)) {
      ctx.fireChannelRead(request.retain());
    } else if (!HttpMethod.GET.equals(request.method())) {
      error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported");
    } else if (path.equals("/healthz")) {
      boolean up = healthy.getAsBoolean();
      respond(
          ctx,
          request,
          up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
          HttpHeaderValues.APPLICATION_JSON.toString(),
          Json.text(Json.object().put("ok", up)));
    } else if (path.equals("/metrics")) {
      respond(ctx, request, HttpResponseStatus.OK, "text/plain; version=0.0.4", metrics.get());
    } else if (path.equals("/dev/token") && devTokens != null) {
      devToken(ctx, request);
    } else {
      Optional<StaticFiles.File> file = files.find(path);
      if (file.isPresent()) {
        respond(ctx, request, HttpResponseStatus.OK, file.get().contentType(), file.get().bytes());
      } else {
        error(ctx, request, HttpResponseStatus.NOT_FOUND, "no route " + path);
      }
    }
  }

  private void devToken(ChannelHandlerContext ctx, FullHttpRequest request) {
    List<String> sub = new QueryStringDecoder(request.uri()).parameters().get("sub");
    String viewer = sub == null || sub.isEmpty() ? "" : sub.get(0);
    if (!VIEWER.matcher(viewer).matches()) {
      error(ctx, request, HttpResponseStatus.BAD_REQUEST, "sub must match " + VIEWER.pattern());
      return;
    }
    respond(
        ctx,
        request,
        HttpResponseStatus.OK,
        HttpHeaderValues.APPLICATION_JSON.toString(),
        Json.text(Json.object().put("token", devTokens.apply(viewer))));
  }

  private static void error(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      HttpResponseStatus status,
      String message) {
    ErrorCode code =
        status == HttpResponseStatus.NOT_FOUND ? ErrorCode.NOT_FOUND : ErrorCode.BAD_REQUEST;
    String body =
        Json.text(
            Json.object()
                .put("code", code.code())
                .put("error", message)
                .put("retry", code.retryable()));
    respond(ctx, request, status, HttpHeaderValues.APPLICATION_JSON.toString(), body);
  }

  private static void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      HttpResponseStatus status,
      String contentType,
      String body) {
    respond(ctx, request, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      HttpResponseStatus status,
      String contentType,
      byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.protocolVersion(), status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
