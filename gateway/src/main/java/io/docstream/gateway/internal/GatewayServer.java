package io.docstream.gateway.internal;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The Netty server socket and its event loops. */
public final class GatewayServer implements AutoCloseable {
  /** Past this many bytes in the socket's buffer the channel stops being writable. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;

  private GatewayServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
  }

  /**
   * Binds {@code host:port} (0 picks a free port).
   *
   * @throws DocstreamException with {@link ErrorCode#CONFIG_INVALID} when the address cannot be
   *     bound
   */
  public static GatewayServer start(
      String host, int port, int ioThreads, GatewayInitializer initializer) {
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup(ioThreads);
    try {
      Channel channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(initializer)
              .bind(host, port)
              .sync()
              .channel();
      return new GatewayServer(boss, workers, channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown(boss, workers);
      throw new DocstreamException(ErrorCode.INTERNAL, "interrupted while binding", e);
    } catch (RuntimeException e) {
      shutdown(boss, workers);
      throw new DocstreamException(
          ErrorCode.CONFIG_INVALID, "cannot listen on " + host + ":" + port + ": " + e, e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    shutdown(boss, workers);
  }

  private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
