package io.docstream.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection so that the client can read the close frame it was sent. Closing a socket
 * with unread input answers the client with a reset, which fails the client's writes (a client
 * still sending a frame over the limit) and may discard the close frame before it is read: clients
 * then report 1006 instead of the code. Once {@link #afterCloseFrame} marked the channel, a close
 * half-closes it instead (FIN after every frame written) and keeps reading and discarding until the
 * client closes too, or {@value #LINGER_MILLIS} ms have passed. First in the pipeline, so it sees
 * every close.
 */
final class LingeringClose extends ChannelOutboundHandlerAdapter {
  static final long LINGER_MILLIS = 2000;
  private static final AttributeKey<Boolean> LINGER = AttributeKey.valueOf("docstream.linger");

  private boolean lingering;

  /** The next close of {@code channel} follows a close frame: let the client read it. */
  static void afterCloseFrame(Channel channel) {
    channel.attr(LINGER).set(true);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    Channel channel = ctx.channel();
    if (lingering) {
      channel.closeFuture().addListener(closed -> promise.trySuccess());
      return;
    }
    if (!(channel instanceof SocketChannel socket)
        || !Boolean.TRUE.equals(channel.attr(LINGER).get())
        || !channel.isActive()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    channel.closeFuture().addListener(closed -> promise.trySuccess());
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> socket.shutdownOutput());
    ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }
}
