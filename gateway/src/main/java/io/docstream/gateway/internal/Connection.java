package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.netty.channel.Channel;

/** One open WebSocket as the hub sees it: frames hop onto the channel's event loop in order. */
final class Connection implements Client {
  private final Channel channel;
  private final Viewer viewer;
  private final Outbox outbox;
  private final HandOff handOff;
  private final FrameDelay delay;

  Connection(Channel channel, Viewer viewer, Outbox outbox, HandOff handOff, FrameDelay delay) {
    this.channel = channel;
    this.viewer = viewer;
    this.outbox = outbox;
    this.handOff = handOff;
    this.delay = delay;
  }

  @Override
  public Viewer viewer() {
    return viewer;
  }

  @Override
  public void deliver(OutFrame frame) {
    if (channel.eventLoop().inEventLoop()) {
      outbox.offer(frame);
    } else {
      handOff.framesHandedOff(frame.bytes());
      channel
          .eventLoop()
          .execute(
              () -> {
                handOff.framesTaken(frame.bytes());
                FrameDelay.since(delay.loop, frame.readNanos());
                outbox.offer(frame);
              });
    }
  }

  @Override
  public String toString() {
    return "Connection[" + viewer + " " + channel.remoteAddress() + "]";
  }
}
