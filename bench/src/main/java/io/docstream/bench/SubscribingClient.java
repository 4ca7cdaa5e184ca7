package io.docstream.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * One load client's protocol: subscribes to its document once the handshake completes, then only
 * receives, handing every frame to {@link ReceivedFrames}.
 */
final class SubscribingClient extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final String subscribe;
  private final ReceivedFrames frames;

  SubscribingClient(String doc, ReceivedFrames frames) {
    this.subscribe = "{\"op\":\"sub\",\"doc\":\"" + doc + "\"}";
    this.frames = frames;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      ctx.writeAndFlush(new TextWebSocketFrame(subscribe));
    } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      frames.onFailure(new IllegalStateException("handshake timed out"));
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      frames.onText(text.text());
    } else if (frame instanceof CloseWebSocketFrame close) {
      frames.onClose(close.statusCode());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    frames.onDisconnect();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    frames.onFailure(cause);
    ctx.close();
  }
}
