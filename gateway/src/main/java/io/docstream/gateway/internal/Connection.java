package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * One open WebSocket as the hub sees it: frames hop onto the channel's event loop in order, in
 * batches when a hub thread applies upstream records ({@link LoopBatches}).
 */
final class Connection implements Client {
  private final Channel channel;
  private final Viewer viewer;
  private final Outbox outbox;
  private final HandOff handOff;

  Connection(Channel channel, Viewer viewer, Outbox outbox, HandOff handOff) {
    this.channel = channel;
    this.viewer = viewer;
    this.outbox = outbox;
    this.handOff = handOff;
  }

  @Override
  public Viewer viewer() {
    return viewer;
  }

  @Override
  public void deliver(OutFrame frame) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      outbox.offer(frame);
    } else if (!LoopBatches.add(loop, outbox, frame)) {
      handOff.framesHandedOff(frame.bytes());
      loop.execute(
          () -> {
            handOff.framesTaken(frame.bytes());
            outbox.offer(frame);
          });
    }
  }

  @Override
  public String toString() {
    return "Connection[" + viewer + " " + channel.remoteAddress() + "]";
  }
}
