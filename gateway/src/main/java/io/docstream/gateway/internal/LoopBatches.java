package io.docstream.gateway.internal;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames one hub thread hands to connections while it applies one batch of upstream records,
 * held until the batch ends and then posted as one task per event loop (the Disruptor's end of
 * batch): one queue entry and at most one wake-up per event loop instead of one per frame. Each
 * frame is still flushed as soon as the event loop takes it: a connection rarely has two frames in
 * one batch, and flushing at the end would hold every frame back for all the others. A frame handed
 * over outside a batch is posted by itself. Either way frames reach an event loop in the order the
 * hub thread handed them over (a batch is posted before the hub thread runs anything else), so each
 * connection gets a document's frames in order and an ack after its delta.
 */
final class LoopBatches {
  private static final ThreadLocal<LoopBatches> OPEN = new ThreadLocal<>();

  private final HandOff handOff;
  private final FrameDelay delay;
  private final Map<EventLoop, Batch> batches = new IdentityHashMap<>();

  LoopBatches(HandOff handOff, FrameDelay delay) {
    this.handOff = handOff;
    this.delay = delay;
  }

  /** Runs {@code work} on this thread, holding the frames it hands over until it returns. */
  void run(Runnable work) {
    OPEN.set(this);
    try {
      work.run();
    } finally {
      OPEN.remove();
      post();
    }
  }

  /**
   * Holds {@code frame} for {@code outbox} if a batch is open on this thread; false if not (the
   * caller posts it).
   */
  static boolean add(EventLoop loop, Outbox outbox, OutFrame frame) {
    LoopBatches open = OPEN.get();
    if (open == null) {
      return false;
    }
    open.batches.computeIfAbsent(loop, l -> new Batch()).add(outbox, frame);
    return true;
  }

  private void post() {
    for (Map.Entry<EventLoop, Batch> e : batches.entrySet()) {
      Batch batch = e.getValue();
      handOff.framesHandedOff(batch.bytes);
      e.getKey().execute(() -> batch.write(handOff, delay));
    }
    batches.clear();
  }

  /** One event loop's share of a batch. */
  private static final class Batch {
    private final List<Outbox> outboxes = new ArrayList<>();
    private final List<OutFrame> frames = new ArrayList<>();
    private long bytes;

    void add(Outbox outbox, OutFrame frame) {
      outboxes.add(outbox);
      frames.add(frame);
      bytes += frame.bytes();
    }

    /** On the event loop: writes every frame, each as soon as it is taken. */
    void write(HandOff handOff, FrameDelay delay) {
      handOff.framesTaken(bytes);
      delay.loop.since(frames.get(0).readNanos(), 1);
      for (int i = 0; i < frames.size(); i++) {
        outboxes.get(i).offer(frames.get(i));
      }
    }
  }
}
