package io.docstream.gateway.internal;

import io.docstream.serdes.Command;
import java.util.concurrent.CompletableFuture;

/** Where the gateway writes clients' messages: the commands topic. */
public interface CommandSink extends AutoCloseable {
  /** Produces {@code command} keyed by {@code doc}; completes when the broker has it. */
  CompletableFuture<Void> send(String doc, Command command);

  @Override
  void close();
}
