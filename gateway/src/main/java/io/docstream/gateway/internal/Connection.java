package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.netty.channel.Channel;

/** One open WebSocket as the hub sees it: frames hop onto the channel's event loop in order. */
final class Connection implements Client {
  private final Channel channel;
  private final Viewer viewer;
  private final Outbox outbox;

  Connection(Channel channel, Viewer viewer, Outbox outbox) {
    this.channel = channel;
    this.viewer = viewer;
    this.outbox = outbox;
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
      channel.eventLoop().execute(() -> outbox.offer(frame));
    }
  }

  @Override
  public String toString() {
    return "Connection[" + viewer + " " + channel.remoteAddress() + "]";
  }
}
