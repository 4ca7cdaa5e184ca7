package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.netty.channel.Channel;

/** One open WebSocket as the hub sees it: frames hop onto the channel's event loop in order. */
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
    if (channel.eventLoop().inEventLoop()) {
      outbox.offer(frame);
    } else {
      handOff.framesHandedOff(frame.bytes());
      channel
          .eventLoop()
          .execute(
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
