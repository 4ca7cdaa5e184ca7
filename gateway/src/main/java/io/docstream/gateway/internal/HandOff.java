package io.docstream.gateway.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the work in flight between the upstream consumer and the sockets, so that a gateway
 * overloaded as a whole (not one slow client, which its {@link Outbox} bounds) stops reading Kafka
 * instead of queuing without end: batches of records posted to the hub and not yet applied, and
 * frames handed to connections' event loops and not yet taken by their outbox. The upstream
 * consumer waits in {@link #awaitRoom} while either is over its bound; Kafka keeps the rest.
 */
final class HandOff {
  /** Upstream batches (one consumer poll each) the hub may have waiting. */
  static final int MAX_BATCHES = 4;

  /** Frame bytes on their way to event loops, all connections together. */
  static final long MAX_FRAME_BYTES = 64L * 1024 * 1024;

  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final AtomicInteger batches = new AtomicInteger();
  private final AtomicLong frameBytes = new AtomicLong();
  private final long maxFrameBytes;
  private volatile boolean closed;

  HandOff(long maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Waits until there is room for one more batch, then counts it. */
  void awaitRoom() throws InterruptedException {
    while (!closed && (batches.get() >= MAX_BATCHES || frameBytes.get() > maxFrameBytes)) {
      TimeUnit.NANOSECONDS.sleep(PAUSE_NANOS);
    }
    batches.incrementAndGet();
  }

  void batchApplied() {
    batches.decrementAndGet();
  }

  void framesHandedOff(long bytes) {
    frameBytes.addAndGet(bytes);
  }

  void framesTaken(long bytes) {
    frameBytes.addAndGet(-bytes);
  }

  long frameBytes() {
    return frameBytes.get();
  }

  /** Stops waiting: event loops that shut down never take what was handed to them. */
  void close() {
    closed = true;
  }
}
