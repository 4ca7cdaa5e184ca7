package io.docstream.gateway.internal;

import io.docstream.gateway.GatewayLimits;
import io.docstream.serdes.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Back-pressure for one connection. Frames go to the socket while the channel is writable and queue
 * here otherwise, up to {@link GatewayLimits#maxBacklogBytes()}. On overflow the document with the
 * most queued bytes loses its queued snapshots and deltas, and further ones, until the client has
 * caught up (queue empty, channel writable); then a fresh snapshot is asked for. Too many overflows
 * within the window, or a backlog that is not document data, close with 4008.
 *
 * <p>All methods run on the channel's event loop.
 */
final class Outbox extends ChannelInboundHandlerAdapter {
  /**
   * How long a close frame may wait for a client that does not read before the connection is closed
   * without it. The WebSocket handler defers every close until its close frame is written, so
   * {@link GatewayInitializer} sets its force-close timeout to this too.
   */
  static final long CLOSE_GRACE_MILLIS = 1000;

  private final GatewayLimits limits;
  private final GatewayMetrics metrics;
  private final ArrayDeque<OutFrame> queue = new ArrayDeque<>();
  private final Set<String> stale = new LinkedHashSet<>();
  private final Set<String> resyncing = new LinkedHashSet<>();
  private final ArrayDeque<Long> overflows = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private Consumer<String> resync = doc -> {};
  private long queuedBytes;
  private long[] unflushedReadNanos = new long[8];
  private int unflushed;
  private boolean closed;

  Outbox(GatewayLimits limits, GatewayMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Where requests for a fresh snapshot of a dropped document go. */
  void onResync(Consumer<String> resync) {
    this.resync = resync;
  }

  long queuedBytes() {
    return queuedBytes;
  }

  void offer(OutFrame frame) {
    stage(frame);
    flush();
  }

  private void stage(OutFrame frame) {
    if (closed) {
      return;
    }
    if (frame.kind().documentData() && frame.doc() != null) {
      boolean dropped = stale.contains(frame.doc()) || resyncing.contains(frame.doc());
      if (dropped && frame.kind() != OutFrame.Kind.SNAPSHOT) {
        return;
      }
      if (dropped) {
        stale.remove(frame.doc());
        resyncing.remove(frame.doc());
      }
    }
    if (queue.isEmpty() && ctx.channel().isWritable()) {
      write(frame);
    } else {
      queue.addLast(frame);
      account(frame.bytes());
      writeQueued();
      if (queuedBytes > limits.maxBacklogBytes()) {
        overflow();
      }
    }
  }

  /** Sends what was written; asks for snapshots of dropped documents once caught up. */
  private void flush() {
    if (unflushed > 0) {
      ctx.flush();
      long now = System.nanoTime();
      for (int i = 0; i < unflushed; i++) {
        metrics.frameDelay.socket.at(now, unflushedReadNanos[i]);
      }
      unflushed = 0;
    }
    if (queue.isEmpty() && ctx.channel().isWritable() && !stale.isEmpty() && !closed) {
      for (String doc : stale) {
        resyncing.add(doc);
        resync.accept(doc);
      }
      stale.clear();
    }
  }

  /** Forgets a document the client unsubscribed from. */
  void forget(String doc) {
    stale.remove(doc);
    resyncing.remove(doc);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    drain();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    queue.clear();
    account(-queuedBytes);
    ctx.fireChannelInactive();
  }

  private void drain() {
    writeQueued();
    flush();
  }

  private void writeQueued() {
    while (!queue.isEmpty() && ctx.channel().isWritable()) {
      OutFrame frame = queue.pollFirst();
      account(-frame.bytes());
      write(frame);
    }
  }

  private void write(OutFrame frame) {
    ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())));
    if (unflushed == unflushedReadNanos.length) {
      unflushedReadNanos = Arrays.copyOf(unflushedReadNanos, unflushed * 2);
    }
    unflushedReadNanos[unflushed++] = frame.readNanos();
  }

  private void overflow() {
    String doc = largestDocument();
    if (doc == null) {
      tooSlow("backlog of " + queuedBytes + " bytes without document data to drop");
      return;
    }
    for (Iterator<OutFrame> it = queue.iterator(); it.hasNext(); ) {
      OutFrame f = it.next();
      if (f.kind().documentData() && doc.equals(f.doc())) {
        it.remove();
        account(-f.bytes());
      }
    }
    stale.add(doc);
    resyncing.remove(doc);
    metrics.slowDrops.increment();
    long now = System.nanoTime();
    overflows.addLast(now);
    while (now - overflows.peekFirst()
        > TimeUnit.MILLISECONDS.toNanos(limits.overflowWindowMillis())) {
      overflows.pollFirst();
    }
    if (overflows.size() > limits.maxOverflows()) {
      tooSlow(overflows.size() + " overflows within " + limits.overflowWindowMillis() + " ms");
    } else if (queuedBytes > limits.maxBacklogBytes()) {
      overflow();
    }
  }

  private String largestDocument() {
    Map<String, Long> bytes = new HashMap<>();
    for (OutFrame f : queue) {
      if (f.kind().documentData() && f.doc() != null) {
        bytes.merge(f.doc(), (long) f.bytes(), Long::sum);
      }
    }
    return bytes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private void tooSlow(String reason) {
    closed = true;
    queue.clear();
    account(-queuedBytes);
    metrics.slowCloses.increment();
    ctx.writeAndFlush(new CloseWebSocketFrame(ErrorCode.TOO_SLOW.code(), "too slow: " + reason))
        .addListener(ChannelFutureListener.CLOSE);
    ctx.executor()
        .schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS); // never drained
  }

  @Override
  public String toString() {
    return "Outbox[queued "
        + queue.size()
        + " frames, "
        + queuedBytes
        + " bytes, stale "
        + stale
        + ", resyncing "
        + resyncing
        + (closed ? ", closed" : "")
        + "]";
  }

  private void account(long delta) {
    queuedBytes += delta;
    metrics.backlogBytes.addAndGet(delta);
  }
}
