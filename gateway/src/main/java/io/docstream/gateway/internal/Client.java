package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;

/** A connection as the {@link Hub} sees it. */
public interface Client {
  Viewer viewer();

  /** Queues {@code frame}; callable from any thread; frames arrive in call order. */
  void deliver(OutFrame frame);
}
