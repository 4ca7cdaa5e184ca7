package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.internal.Feed.Sub;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.ErrorCode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub thread and the documents {@link Hub} routes to it: their feeds, their subscriptions, the
 * sends to them awaiting an outcome. Everything about a document happens on this thread, in the
 * order it was posted, so a subscriber gets its frames in order and an ack after the delta it
 * acknowledges.
 */
final class HubShard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HubShard.class);

  private final ScheduledExecutorService loop;
  private final Watches watches;
  private final SpacePolicies policies;
  private final GatewayLimits limits;
  private final GatewayMetrics metrics;
  private final Map<String, Feed> feeds = new HashMap<>();

  /** Per client, the documents of this shard it subscribed to. */
  private final Map<Client, Set<String>> clients = new HashMap<>();

  private final Fanout fanout;
  private final FeedLoader loader;
  private final PendingSends sends;
  private final LoopBatches batches;

  HubShard(
      int index,
      Watches watches,
      ReadApiClient reads,
      CommandSink commands,
      SendQuota quota,
      HandOff handOff,
      SpacePolicies policies,
      GatewayLimits limits,
      GatewayMetrics metrics) {
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "docstream-gateway-hub-" + index));
    this.watches = watches;
    this.policies = policies;
    this.limits = limits;
    this.metrics = metrics;
    this.batches = new LoopBatches(handOff, metrics.frameDelay);
    this.fanout = new Fanout(loop, reads, metrics, this::current);
    this.loader = new FeedLoader(loop, reads, metrics, fanout, this::current, this::failFeed);
    this.sends =
        new PendingSends(loop, commands, limits, quota, metrics, watches::watch, watches::unwatch);
  }

  void subscribe(Client client, DocKey doc, Long since) {
    loop.execute(() -> doSubscribe(client, doc, since));
  }

  void unsubscribe(Client client, String doc) {
    loop.execute(() -> doUnsubscribe(client, doc));
  }

  void send(Client client, String doc, String id, JsonNode body) {
    loop.execute(() -> sends.send(client, doc, id, body));
  }

  void resync(Client client, String doc) {
    loop.execute(() -> doResync(client, doc));
  }

  void disconnect(Client client) {
    loop.execute(() -> doDisconnect(client));
  }

  /**
   * Applies records of this shard's documents, in order, then runs {@code done}. {@code readNanos}:
   * when they left the upstream consumer.
   */
  void onEvents(List<Upstream.Event> events, long readNanos, Runnable done) {
    loop.execute(
        () -> {
          metrics.frameDelay.hub.since(readNanos, 1);
          fanout.readNanos(readNanos);
          try {
            batches.run(() -> events.forEach(this::onEvent));
          } finally {
            fanout.readNanos(0);
            done.run();
          }
        });
  }

  /** {@code doc}'s partitions moved: once {@code ready}, a loaded feed asks for its snapshot. */
  void moved(String doc, CompletableFuture<Void> ready) {
    loop.execute(
        () -> {
          Feed feed = feeds.get(doc);
          if (feed == null || !feed.loadedOnce) {
            return;
          }
          ready.whenCompleteAsync(
              (v, error) -> {
                if (!current(feed)) {
                  return;
                }
                if (error != null) {
                  failFeed(feed, error);
                } else {
                  loader.catchUpMoved(feed, 0);
                }
              },
              loop);
        });
  }

  /** Completes once every task posted before has run. */
  CompletableFuture<Void> barrier() {
    return CompletableFuture.runAsync(() -> {}, loop);
  }

  boolean running() {
    return !loop.isShutdown();
  }

  private boolean current(Feed feed) {
    return feeds.get(feed.doc) == feed;
  }

  private void doSubscribe(Client client, DocKey key, Long since) {
    String doc = key.toString();
    Feed feed = feeds.get(doc);
    if (feed != null && feed.subs.containsKey(client)) {
      client.deliver(
          OutFrame.error(
              ErrorCode.ALREADY_SUBSCRIBED,
              "already subscribed to " + doc + "; unsub first to subscribe again",
              doc));
      return;
    }
    if (feed == null) {
      Feed created = new Feed(doc, policies.view(key.space()), limits.historyDeltas());
      feeds.put(doc, created);
      metrics.documents.incrementAndGet();
      feed = created;
      watches
          .watch(doc)
          .whenCompleteAsync(
              (ok, error) -> {
                if (error != null) {
                  failFeed(created, error);
                } else {
                  loader.load(created);
                }
              },
              loop);
    }
    Sub sub = new Sub(client, since);
    feed.subs.put(client, sub);
    clients.computeIfAbsent(client, c -> new HashSet<>()).add(doc);
    if (feed.live) {
      fanout.start(feed, sub);
    }
  }

  private void doUnsubscribe(Client client, String doc) {
    Set<String> docs = clients.get(client);
    if (docs != null && docs.remove(doc) && docs.isEmpty()) {
      clients.remove(client);
    }
    Feed feed = feeds.get(doc);
    if (feed != null && feed.subs.remove(client) != null && feed.subs.isEmpty()) {
      dropFeed(feed);
    }
  }

  private void doResync(Client client, String doc) {
    Feed feed = feeds.get(doc);
    Sub sub = feed == null ? null : feed.subs.get(client);
    if (sub != null) {
      sub.since = null;
      sub.reset = true;
      sub.started = false;
      if (feed.live) {
        fanout.start(feed, sub);
      }
    }
  }

  private void doDisconnect(Client client) {
    sends.disconnect(client);
    Set<String> docs = clients.remove(client);
    if (docs == null) {
      return;
    }
    for (String doc : docs) {
      Feed feed = feeds.get(doc);
      if (feed != null && feed.subs.remove(client) != null && feed.subs.isEmpty()) {
        dropFeed(feed);
      }
    }
  }

  private void onEvent(Upstream.Event event) {
    if (event instanceof Upstream.DeltaEvent d) {
      metrics.deltas.increment();
      Feed feed = feeds.get(d.doc());
      if (feed != null) {
        loader.onCommitted(feed, d.delta());
      }
      sends.onDelta(d.doc(), d.delta());
    } else if (event instanceof Upstream.RejectionEvent r) {
      sends.onRejection(r.doc(), r.rejection());
    }
  }

  private void dropFeed(Feed feed) {
    if (feeds.remove(feed.doc, feed)) {
      metrics.documents.decrementAndGet();
      watches.unwatch(feed.doc);
    }
  }

  private void failFeed(Feed feed, Throwable error) {
    if (!current(feed)) {
      return;
    }
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    LOG.warn("cannot load {}: {}", feed.doc, cause.toString());
    OutFrame frame =
        OutFrame.error(
            ErrorCode.SNAPSHOT_UNAVAILABLE,
            "cannot load " + feed.doc + "; subscribe again",
            feed.doc);
    for (Sub sub : feed.subs.values()) {
      sub.client.deliver(frame);
      Set<String> docs = clients.get(sub.client);
      if (docs != null && docs.remove(feed.doc) && docs.isEmpty()) {
        clients.remove(sub.client);
      }
    }
    feed.subs.clear();
    dropFeed(feed);
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
