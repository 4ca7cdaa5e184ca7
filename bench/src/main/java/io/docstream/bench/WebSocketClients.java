package io.docstream.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The load clients: WebSocket connections to one gateway on one Netty event-loop group (one thread
 * by default, for thousands of connections), each subscribed to one document, counting what they
 * receive in {@link ReceivedFrames}. Opened and closed from one thread.
 */
final class WebSocketClients implements AutoCloseable {
  private static final int MAX_OPENING = 200;
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;
  private static final int MAX_HANDSHAKE_BYTES = 8192;
  private static final long LAG_PROBE_NANOS = 10_000_000;

  private final InetSocketAddress gateway;
  private final ReceivedFrames frames;
  private final EventLoopGroup group;
  private final long[] threadIds;
  private final List<Channel> channels = new ArrayList<>();
  private final AtomicLong maxLagNanos = new AtomicLong();

  WebSocketClients(int threads, InetSocketAddress gateway, ReceivedFrames frames)
      throws InterruptedException, ExecutionException {
    this.gateway = gateway;
    this.frames = frames;
    this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("ws-client"));
    List<Long> ids = new ArrayList<>();
    for (EventExecutor loop : group) {
      ids.add(loop.submit(() -> Thread.currentThread().getId()).get());
    }
    threadIds = ids.stream().mapToLong(Long::longValue).toArray();
    for (EventExecutor loop : group) {
      loop.scheduleAtFixedRate(
          new LagProbe(System.nanoTime() + LAG_PROBE_NANOS, maxLagNanos),
          LAG_PROBE_NANOS,
          LAG_PROBE_NANOS,
          TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Opens {@code count} connections, {@code perSecond} a second with at most 200 handshakes under
   * way; connection i connects to {@code uri(i)} and subscribes to {@code doc(i)}. Returns once
   * every one has its snapshot.
   *
   * @throws IllegalStateException when one fails, or not all have their snapshot within {@code
   *     timeout}
   */
  void open(
      int count, int perSecond, IntFunction<URI> uri, IntFunction<String> doc, Duration timeout) {
    long snapshotsBefore = frames.snapshots();
    long failuresBefore = frames.failures();
    long startNanos = System.nanoTime();
    long deadline = startNanos + timeout.toNanos();
    for (int i = 0; i < count; i++) {
      LockSupport.parkNanos(startNanos + i * 1_000_000_000L / perSecond - System.nanoTime());
      while (i - (frames.snapshots() - snapshotsBefore) >= MAX_OPENING) {
        check(failuresBefore, deadline, count, snapshotsBefore);
        LockSupport.parkNanos(1_000_000);
      }
      channels.add(connect(uri.apply(i), doc.apply(i)));
    }
    while (frames.snapshots() - snapshotsBefore < count) {
      check(failuresBefore, deadline, count, snapshotsBefore);
      LockSupport.parkNanos(10_000_000);
    }
  }

  private void check(long failuresBefore, long deadline, int count, long snapshotsBefore) {
    long subscribed = frames.snapshots() - snapshotsBefore;
    if (frames.failures() > failuresBefore) {
      throw new IllegalStateException(
          (frames.failures() - failuresBefore)
              + " load clients failed (see the log); "
              + subscribed
              + " of "
              + count
              + " subscribed");
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "only " + subscribed + " of " + count + " connections subscribed in time");
    }
  }

  private Channel connect(URI uri, String doc) {
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
            .handleCloseFrames(false)
            .build();
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channel
                    .pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES))
                    .addLast(new WebSocketClientProtocolHandler(config))
                    .addLast(new SubscribingClient(doc, frames));
              }
            })
        .connect(gateway)
        .addListener(
            connected -> {
              if (!connected.isSuccess()) {
                frames.onFailure(connected.cause());
              }
            })
        .channel();
  }

  /** Closes every connection (a close frame, then the socket) and waits up to {@code timeout}. */
  void closeAll(Duration timeout) {
    channels.forEach(Channel::close);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Channel channel : channels) {
      channel
          .closeFuture()
          .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    channels.clear();
  }

  /** CPU time the client event-loop threads have used so far. */
  long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threadIds) {
      total += Math.max(0, threads.getThreadCpuTime(id));
    }
    return total;
  }

  /**
   * The most any client event loop was late since the last call, in ms: a loop that is busy or
   * starved of CPU reads its sockets late too, which shows as latency that is not the gateway's.
   */
  long takeMaxLagMillis() {
    return maxLagNanos.getAndSet(0) / 1_000_000;
  }

  /** Runs every 10 ms on an event loop and records how late it runs. */
  private static final class LagProbe implements Runnable {
    private final AtomicLong maxLagNanos;
    private long dueNanos;

    LagProbe(long firstDueNanos, AtomicLong maxLagNanos) {
      this.dueNanos = firstDueNanos;
      this.maxLagNanos = maxLagNanos;
    }

    @Override
    public void run() {
      long late = System.nanoTime() - dueNanos;
      dueNanos += LAG_PROBE_NANOS;
      maxLagNanos.accumulateAndGet(late, Math::max);
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
