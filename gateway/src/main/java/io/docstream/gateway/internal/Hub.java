package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.serdes.DocKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Routes every request and every upstream record to the {@link HubShard} of its document: shard
 * {@code hash(document) mod threads}. A document's feed, subscriptions and pending sends live on
 * one shard thread, so its frames reach each subscriber in order and acks follow their deltas; a
 * connection's frames of documents on different shards interleave, each document in order, and are
 * written in the order they reach its channel's event loop ({@link Connection}). What a connection
 * holds across shards is counted where every shard can see it: its backlog on its event loop
 * ({@link Outbox}), its pending sends in a {@link SendQuota}.
 *
 * <p>When partitions are added (an offline rescale), each watched document whose partitions moved
 * is watched on its new ones; once they are read, its shard asks for its snapshot (again and again
 * while no processor answers): one ahead of the feed replaces the subscribers' state with a reset,
 * so a delta committed to the new partition before it was watched is never skipped.
 */
public final class Hub implements Upstream.Listener, AutoCloseable {
  private final HandOff handOff = new HandOff(HandOff.MAX_FRAME_BYTES);
  private final Upstream upstream;
  private final Watches watches;
  private final HubShard[] shards;

  /**
   * @param threads hub threads, each the owner of the documents that hash to it
   * @param upstreamFactory opens the upstream that feeds this hub (given the hub as listener)
   */
  public Hub(
      int threads,
      Function<Upstream.Listener, Upstream> upstreamFactory,
      ReadApiClient reads,
      CommandSink commands,
      SpacePolicies policies,
      GatewayLimits limits,
      GatewayMetrics metrics) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    metrics.handOffBytes(handOff::frameBytes);
    this.upstream = upstreamFactory.apply(this);
    this.watches = new Watches(upstream);
    SendQuota quota = new SendQuota(limits.maxPendingSends());
    this.shards = new HubShard[threads];
    for (int i = 0; i < threads; i++) {
      shards[i] =
          new HubShard(i, watches, reads, commands, quota, handOff, policies, limits, metrics);
    }
  }

  // ---- requests from connections, any thread ----

  public void subscribe(Client client, DocKey doc, Long since) {
    shardOf(doc.toString()).subscribe(client, doc, since);
  }

  public void unsubscribe(Client client, DocKey doc) {
    String key = doc.toString();
    shardOf(key).unsubscribe(client, key);
  }

  public void send(Client client, DocKey doc, String id, JsonNode body) {
    String key = doc.toString();
    shardOf(key).send(client, key, id, body);
  }

  /** The client dropped frames of {@code doc}: send it a fresh snapshot. */
  public void resync(Client client, String doc) {
    shardOf(doc).resync(client, doc);
  }

  public void disconnect(Client client) {
    for (HubShard shard : shards) {
      shard.disconnect(client);
    }
  }

  // ---- upstream, on its thread ----

  @Override
  public void onRecords(List<Upstream.Event> events) throws InterruptedException {
    long readNanos = System.nanoTime();
    handOff.awaitRoom();
    if (shards.length == 1) {
      shards[0].onEvents(events, readNanos, handOff::batchApplied);
      return;
    }
    List<List<Upstream.Event>> parts = new ArrayList<>(shards.length);
    for (int i = 0; i < shards.length; i++) {
      parts.add(new ArrayList<>());
    }
    for (Upstream.Event event : events) {
      parts.get(indexOf(event.doc())).add(event);
    }
    int nonEmpty = (int) parts.stream().filter(p -> !p.isEmpty()).count();
    if (nonEmpty == 0) {
      handOff.batchApplied();
      return;
    }
    AtomicInteger left = new AtomicInteger(nonEmpty);
    Runnable partApplied =
        () -> {
          if (left.decrementAndGet() == 0) {
            handOff.batchApplied();
          }
        };
    for (int i = 0; i < shards.length; i++) {
      if (!parts.get(i).isEmpty()) {
        shards[i].onEvents(parts.get(i), readNanos, partApplied);
      }
    }
  }

  @Override
  public void onPartitionsChanged() {
    for (Map.Entry<String, CompletableFuture<Void>> e : watches.rewatchMoved().entrySet()) {
      shardOf(e.getKey()).moved(e.getKey(), e.getValue());
    }
  }

  // ---- for the server and tests ----

  /** What connections count their frames in flight against. */
  HandOff handOff() {
    return handOff;
  }

  /** False when deltas no longer arrive (the upstream consumer stopped). */
  public boolean healthy() {
    if (!upstream.healthy()) {
      return false;
    }
    for (HubShard shard : shards) {
      if (!shard.running()) {
        return false;
      }
    }
    return true;
  }

  /** Completes once every task posted before on every shard has run; for tests. */
  public CompletableFuture<Void> barrier() {
    CompletableFuture<?>[] all = new CompletableFuture<?>[shards.length];
    for (int i = 0; i < shards.length; i++) {
      all[i] = shards[i].barrier();
    }
    return CompletableFuture.allOf(all);
  }

  /** The shard that owns {@code doc}: a function of the document alone, fixed for a hub. */
  int indexOf(String doc) {
    int h = doc.hashCode();
    return Math.floorMod(h ^ (h >>> 16), shards.length);
  }

  private HubShard shardOf(String doc) {
    return shards[indexOf(doc)];
  }

  @Override
  public void close() {
    handOff.close();
    upstream.close();
    for (HubShard shard : shards) {
      shard.close();
    }
  }
}
