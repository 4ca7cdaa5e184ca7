package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Delta;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The processors' read API, as the gateway uses it. */
public interface ReadApiClient extends AutoCloseable {
  /** {@code GET /docs/{key}}; fails with a coded exception once retries are exhausted. */
  CompletableFuture<Snapshot> snapshot(String doc);

  /** {@code GET /docs/{key}/deltas?after=S}; empty when the processor no longer holds them. */
  CompletableFuture<Optional<List<Delta>>> deltasAfter(String doc, long after);

  @Override
  void close();

  /**
   * A document at a sequence number. Whoever receives it owns {@code data}: the hub applies later
   * deltas to it in place, on the thread of its document's shard.
   *
   * @param hash the processor's content hash of {@code data} (as deltas carry it), or null when
   *     unknown
   */
  record Snapshot(long seq, ObjectNode data, String hash) {}
}
