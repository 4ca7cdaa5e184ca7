package io.docstream.gateway.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The sends awaiting their outcome per connection, counted across every hub shard (a connection's
 * sends to documents on different shards share one {@code gateway.max.pending.sends}). Thread-safe.
 */
final class SendQuota {
  private final int max;
  private final ConcurrentHashMap<Client, Integer> pending = new ConcurrentHashMap<>();

  SendQuota(int max) {
    this.max = max;
  }

  /** Counts one more send of {@code client}; false, counting nothing, when it has the maximum. */
  boolean tryAcquire(Client client) {
    boolean[] acquired = new boolean[1];
    pending.compute(
        client,
        (c, n) -> {
          int now = n == null ? 0 : n;
          if (now >= max) {
            return n;
          }
          acquired[0] = true;
          return now + 1;
        });
    return acquired[0];
  }

  /** Counts one send of {@code client} less. */
  void release(Client client) {
    pending.computeIfPresent(client, (c, n) -> n == 1 ? null : n - 1);
  }
}
