package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.gateway.GatewayLimits;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.Viewer;
import io.docstream.gateway.internal.Feed.Sub;
import io.docstream.serdes.Delta;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.ErrorCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns every watched document ({@link Feed}), every subscription and every send
 * awaiting its outcome. Connections and the upstream consumer post work here; frames leave through
 * {@link Client#deliver}, in order per client.
 *
 * <p>Loading a document: its partitions are added upstream first (positions fixed at the end), so
 * every delta the snapshot may miss is read and buffered; then the snapshot is fetched, buffered
 * deltas up to its seq are dropped and the rest applied in order. A gap in seq fetches the missing
 * deltas from the read API, or a fresh snapshot that replaces subscribers' state ("reset").
 *
 * <p>Committed deltas are the source of truth: the read API reads live stores, which may be ahead
 * of the last commit. A snapshot stays unconfirmed until a committed delta at or after its seq is
 * read; the one at its seq must carry the snapshot's hash, or the document is loaded again and
 * every subscriber gets the new state as a reset. Deltas from the read API are used only below a
 * seq seen committed, or up to an unconfirmed snapshot whose hash they reproduce.
 *
 * <p>When partitions are added (an offline rescale), each watched document whose partitions moved
 * is watched on its new ones; once they are read, its snapshot is asked for (again and again while
 * no processor answers): one ahead of the feed replaces the subscribers' state with a reset, so a
 * delta committed to the new partition before it was watched is never skipped.
 */
public final class Hub implements Upstream.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  private static final long MAX_RELOAD_PAUSE_MILLIS = 5000;

  /** About ten minutes of asking for a moved document at the longest pause. */
  private static final int MAX_CATCH_UP_ATTEMPTS = 120;

  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "docstream-gateway-hub"));
  private final Upstream upstream;
  private final ReadApiClient reads;
  private final SpacePolicies policies;
  private final GatewayLimits limits;
  private final GatewayMetrics metrics;
  private final Map<String, Feed> feeds = new HashMap<>();
  private final HandOff handOff = new HandOff(HandOff.MAX_FRAME_BYTES);

  private final Map<TopicPartition, Watch> watches = new HashMap<>();
  private final Map<String, DocWatch> docWatches = new HashMap<>();
  private final Map<Client, ClientState> clients = new HashMap<>();
  private final PendingSends sends;

  /**
   * @param upstreamFactory opens the upstream that feeds this hub (given the hub as listener)
   */
  public Hub(
      java.util.function.Function<Upstream.Listener, Upstream> upstreamFactory,
      ReadApiClient reads,
      CommandSink commands,
      SpacePolicies policies,
      GatewayLimits limits,
      GatewayMetrics metrics) {
    this.reads = reads;
    this.policies = policies;
    this.limits = limits;
    this.metrics = metrics;
    metrics.handOffBytes(handOff::frameBytes);
    this.sends = new PendingSends(loop, commands, limits, metrics, this::watch, this::unwatch);
    this.upstream = upstreamFactory.apply(this);
  }

  // ---- requests from connections, any thread ----

  public void subscribe(Client client, DocKey doc, Long since) {
    loop.execute(() -> doSubscribe(client, doc, since));
  }

  public void unsubscribe(Client client, DocKey doc) {
    loop.execute(() -> doUnsubscribe(client, doc.toString()));
  }

  public void send(Client client, DocKey doc, String id, JsonNode body) {
    loop.execute(() -> sends.send(client, doc.toString(), id, body));
  }

  /** The client dropped frames of {@code doc}: send it a fresh snapshot. */
  public void resync(Client client, String doc) {
    loop.execute(() -> doResync(client, doc));
  }

  public void disconnect(Client client) {
    loop.execute(() -> doDisconnect(client));
  }

  @Override
  public void onRecords(List<Upstream.Event> events) throws InterruptedException {
    handOff.awaitRoom();
    loop.execute(
        () -> {
          try {
            events.forEach(this::onEvent);
          } finally {
            handOff.batchApplied();
          }
        });
  }

  @Override
  public void onPartitionsChanged() {
    loop.execute(this::rewatchMoved);
  }

  /** What connections count their frames in flight against. */
  HandOff handOff() {
    return handOff;
  }

  /** False when deltas no longer arrive (the upstream consumer stopped). */
  public boolean healthy() {
    return upstream.healthy() && !loop.isShutdown();
  }

  /** Completes once every task posted before has run; for tests. */
  public CompletableFuture<Void> barrier() {
    return CompletableFuture.runAsync(() -> {}, loop);
  }

  // ---- subscriptions ----

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
      watch(doc)
          .whenCompleteAsync(
              (ok, error) -> {
                if (error != null) {
                  failFeed(created, error);
                } else {
                  fetchSnapshot(created);
                }
              },
              loop);
    }
    Sub sub = new Sub(client, since);
    feed.subs.put(client, sub);
    state(client).docs.add(doc);
    if (feed.live) {
      start(feed, sub);
    }
  }

  private void doUnsubscribe(Client client, String doc) {
    ClientState state = clients.get(client);
    if (state != null) {
      state.docs.remove(doc);
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
        start(feed, sub);
      }
    }
  }

  private void doDisconnect(Client client) {
    sends.disconnect(client);
    ClientState state = clients.remove(client);
    if (state == null) {
      return;
    }
    for (String doc : state.docs) {
      Feed feed = feeds.get(doc);
      if (feed != null && feed.subs.remove(client) != null && feed.subs.isEmpty()) {
        dropFeed(feed);
      }
    }
  }

  private ClientState state(Client client) {
    return clients.computeIfAbsent(client, c -> new ClientState());
  }

  private void dropFeed(Feed feed) {
    if (feeds.remove(feed.doc, feed)) {
      metrics.documents.decrementAndGet();
      unwatch(feed.doc);
    }
  }

  private void failFeed(Feed feed, Throwable error) {
    if (feeds.get(feed.doc) != feed) {
      return;
    }
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
    LOG.warn("cannot load {}: {}", feed.doc, cause.toString());
    OutFrame frame =
        OutFrame.error(
            ErrorCode.SNAPSHOT_UNAVAILABLE,
            "cannot load " + feed.doc + "; subscribe again",
            feed.doc);
    for (Sub sub : feed.subs.values()) {
      sub.client.deliver(frame);
      ClientState state = clients.get(sub.client);
      if (state != null) {
        state.docs.remove(feed.doc);
      }
    }
    feed.subs.clear();
    dropFeed(feed);
  }

  // ---- loading and applying ----

  private void fetchSnapshot(Feed feed) {
    reads
        .snapshot(feed.doc)
        .whenCompleteAsync(
            (snapshot, error) -> {
              if (feeds.get(feed.doc) != feed) {
                return;
              }
              if (error != null) {
                failFeed(feed, error);
              } else {
                onSnapshot(feed, snapshot);
              }
            },
            loop);
  }

  private void onSnapshot(Feed feed, ReadApiClient.Snapshot snapshot) {
    Delta seen = feed.committedAt(snapshot.seq());
    if (seen != null && !sameOrUnknown(snapshot.hash(), seen.hash())) {
      neverCommitted(feed, snapshot.seq(), snapshot.hash(), seen.hash());
      return;
    }
    if (seen != null) {
      feed.contradictions = 0;
    }
    boolean replaces = feed.loadedOnce;
    feed.loadedOnce = true;
    feed.data = snapshot.data();
    feed.seq = snapshot.seq();
    feed.unconfirmed =
        seen == null && snapshot.seq() > feed.committedSeq
            ? new Feed.Unconfirmed(snapshot.seq(), snapshot.hash())
            : null;
    feed.access = feed.view.access(feed.data);
    feed.history.clear();
    feed.live = true;
    for (Sub sub : feed.subs.values()) {
      if (replaces && sub.started) {
        sub.since = null;
        sub.reset = true;
        sub.started = false;
      }
      if (!sub.started) {
        start(feed, sub);
      }
    }
    replayBuffer(feed);
  }

  private void replayBuffer(Feed feed) {
    ArrayDeque<Delta> buffered = feed.buffer;
    feed.buffer = new ArrayDeque<>();
    for (Delta delta : buffered) {
      if (feed.live) {
        apply(feed, delta);
      } else {
        feed.buffer(delta);
      }
    }
  }

  private void onEvent(Upstream.Event event) {
    if (event instanceof Upstream.DeltaEvent d) {
      metrics.deltas.increment();
      Feed feed = feeds.get(d.doc());
      if (feed != null) {
        feed.committedSeq = Math.max(feed.committedSeq, d.delta().seq());
        if (feed.live) {
          apply(feed, d.delta());
        } else {
          feed.buffer(d.delta());
        }
      }
      sends.onDelta(d.doc(), d.delta());
    } else if (event instanceof Upstream.RejectionEvent r) {
      sends.onRejection(r.doc(), r.rejection());
    }
  }

  /** Applies a committed delta (read upstream, or from the read API below one read upstream). */
  private void apply(Feed feed, Delta delta) {
    if (!confirms(feed, delta)) {
      return;
    }
    if (delta.seq() <= feed.seq) {
      return;
    }
    if (delta.seq() > feed.seq + 1) {
      feed.live = false;
      feed.buffer(delta);
      recover(feed, delta.seq());
      return;
    }
    boolean changesAccess = feed.view.changesAccess(delta.patch());
    ViewFilter.Access before = changesAccess ? feed.view.access(feed.data) : feed.access;
    feed.data = (ObjectNode) MergePatch.apply(feed.data, delta.patch());
    feed.seq = delta.seq();
    if (changesAccess) {
      feed.access = feed.view.access(feed.data);
    }
    feed.remember(delta);
    metrics.delivered(delta.ts());
    Map<Viewer, OutFrame> frames = new HashMap<>();
    for (Sub sub : feed.subs.values()) {
      deliver(feed, sub, delta, before, frames);
    }
  }

  /**
   * Checks the unconfirmed snapshot against a committed delta. False when the delta at its seq
   * carries another hash: the snapshot held a state that never committed, and the document is being
   * loaded again.
   */
  private boolean confirms(Feed feed, Delta delta) {
    Feed.Unconfirmed snapshot = feed.unconfirmed;
    if (snapshot == null || delta.seq() < snapshot.seq()) {
      return true;
    }
    feed.unconfirmed = null;
    if (delta.seq() > snapshot.seq() || sameOrUnknown(snapshot.hash(), delta.hash())) {
      feed.contradictions = 0;
      return true;
    }
    feed.live = false;
    feed.buffer(delta); // the next snapshot is checked against it
    neverCommitted(feed, snapshot.seq(), snapshot.hash(), delta.hash());
    return false;
  }

  /**
   * Loads the document again, at once the first time; while reloaded snapshots keep contradicting
   * the committed deltas (which only a processor bug explains), after a growing pause.
   */
  private void neverCommitted(Feed feed, long seq, String hash, String committedHash) {
    LOG.warn(
        "snapshot of {} at seq {} never committed (hash {}, committed {}); loading it again",
        feed.doc,
        seq,
        hash,
        committedHash);
    metrics.uncommittedSnapshots.increment();
    int before = feed.contradictions++;
    if (before == 0) {
      fetchSnapshot(feed);
      return;
    }
    long pauseMillis = Math.min(MAX_RELOAD_PAUSE_MILLIS, 100L << Math.min(before, 6));
    loop.schedule(
        () -> {
          if (feeds.get(feed.doc) == feed) {
            fetchSnapshot(feed);
          }
        },
        pauseMillis,
        TimeUnit.MILLISECONDS);
  }

  private static boolean sameOrUnknown(String hash, String other) {
    return hash == null || other == null || hash.equals(other);
  }

  /**
   * Fills the gap between {@link Feed#seq} and the committed delta {@code gapSeq} from the read
   * API, using only deltas below it (committed, since it is), or reloads the snapshot.
   */
  private void recover(Feed feed, long gapSeq) {
    LOG.info("gap in {} after seq {}; fetching the missing deltas", feed.doc, feed.seq);
    long from = feed.seq;
    reads
        .deltasAfter(feed.doc, from)
        .whenCompleteAsync(
            (deltas, error) -> {
              if (feeds.get(feed.doc) != feed || feed.live || feed.seq != from) {
                return;
              }
              List<Delta> missing =
                  error == null && deltas.isPresent() ? between(deltas.get(), from, gapSeq) : null;
              if (missing == null) {
                fetchSnapshot(feed);
                return;
              }
              feed.live = true;
              for (Delta d : missing) {
                if (feed.live) {
                  apply(feed, d);
                }
              }
              replayBuffer(feed);
            },
            loop);
  }

  /** The deltas after {@code after} and before {@code before}, or null when one is missing. */
  private static List<Delta> between(List<Delta> deltas, long after, long before) {
    List<Delta> out = new ArrayList<>();
    for (Delta d : deltas) {
      if (d.seq() == after + 1 + out.size() && d.seq() < before) {
        out.add(d);
      }
    }
    return after + 1 + out.size() == before ? out : null;
  }

  // ---- serving one subscriber ----

  private void start(Feed feed, Sub sub) {
    sub.started = true;
    sub.catchingUp = false;
    if (sub.since == null || sub.since > feed.seq) {
      sub.reset |= sub.since != null;
      sub.since = null;
      sendSnapshot(feed, sub);
      return;
    }
    long since = sub.since;
    sub.since = null;
    metrics.resumes.increment();
    sub.lastSeq = since;
    if (feed.historyCovers(since)) {
      if (changesAccess(feed, since, feed.history)) {
        sub.reset = true;
        sendSnapshot(feed, sub);
        return;
      }
      for (Delta d : feed.history) {
        replay(feed, sub, d);
      }
      return;
    }
    sub.catchingUp = true;
    reads
        .deltasAfter(feed.doc, since)
        .whenCompleteAsync((deltas, error) -> caughtUp(feed, sub, deltas, error), loop);
  }

  private void caughtUp(Feed feed, Sub sub, Optional<List<Delta>> deltas, Throwable error) {
    if (feeds.get(feed.doc) != feed || feed.subs.get(sub.client) != sub || !sub.catchingUp) {
      return;
    }
    sub.catchingUp = false;
    if (!feed.live) {
      sub.reset = true;
      sub.started = false;
      return;
    }
    if (error == null
        && deltas.isPresent()
        && !changesAccess(feed, sub.lastSeq, deltas.get())
        && !changesAccess(feed, sub.lastSeq, feed.history)) {
      long trusted = reachesSnapshot(feed, deltas.get()) ? feed.seq : feed.committedSeq;
      for (Delta d : deltas.get()) {
        if (d.seq() <= trusted) {
          replay(feed, sub, d);
        }
      }
      for (Delta d : feed.history) {
        replay(feed, sub, d);
      }
    }
    if (sub.lastSeq < feed.seq) {
      if (error != null) {
        LOG.warn("cannot fetch missed deltas of {}: {}", feed.doc, error.toString());
      }
      sub.reset = true;
      sendSnapshot(feed, sub);
    }
  }

  /**
   * True when deltas from the read API may be replayed up to the feed's seq: its snapshot is
   * confirmed, or they reproduce its hash (so the client reaches the very state the feed holds, and
   * shares its fate if that state never committed).
   */
  private static boolean reachesSnapshot(Feed feed, List<Delta> deltas) {
    Feed.Unconfirmed snapshot = feed.unconfirmed;
    if (snapshot == null) {
      return true;
    }
    for (Delta d : deltas) {
      if (d.seq() == snapshot.seq()) {
        return sameOrUnknown(snapshot.hash(), d.hash());
      }
    }
    return false;
  }

  private void sendSnapshot(Feed feed, Sub sub) {
    Viewer viewer = sub.client.viewer();
    sub.client.deliver(
        OutFrame.snapshot(feed.doc, feed.seq, feed.view.filter(feed.data, viewer), sub.reset));
    metrics.snapshots.increment();
    if (sub.reset) {
      metrics.resets.increment();
    }
    sub.reset = false;
    sub.lastSeq = feed.seq;
  }

  /**
   * True when one of {@code deltas} after {@code since} may change who sees what. Replaying them
   * needs the readers lists as they were before each, which only the live path has; the subscriber
   * gets a fresh snapshot instead.
   */
  private static boolean changesAccess(Feed feed, long since, Iterable<Delta> deltas) {
    for (Delta d : deltas) {
      if (d.seq() > since && feed.view.changesAccess(d.patch())) {
        return true;
      }
    }
    return false;
  }

  /** Hands a missed delta to one subscriber; no delta between it and now changes access. */
  private void replay(Feed feed, Sub sub, Delta delta) {
    deliver(feed, sub, delta, feed.access, new HashMap<>());
  }

  /**
   * Hands {@code delta} to one subscriber if it is the next it needs. {@code before} is the readers
   * lists before it. {@code frames} caches this delta's frame per view, so that subscribers with
   * the same view share one serialization.
   */
  private void deliver(
      Feed feed, Sub sub, Delta delta, ViewFilter.Access before, Map<Viewer, OutFrame> frames) {
    if (!sub.started || sub.catchingUp || delta.seq() <= sub.lastSeq) {
      return;
    }
    if (delta.seq() != sub.lastSeq + 1) {
      sub.reset = true;
      sendSnapshot(feed, sub);
      return;
    }
    Viewer viewer = feed.view.trivial() ? Viewer.ANONYMOUS : sub.client.viewer();
    OutFrame frame =
        frames.computeIfAbsent(
            viewer,
            v ->
                OutFrame.delta(
                    feed.doc,
                    delta.seq(),
                    feed.view.filterDelta(delta.patch(), v, before, feed.access, feed.data)));
    sub.client.deliver(frame);
    sub.lastSeq = delta.seq();
  }

  // ---- upstream partitions ----

  private CompletableFuture<Void> watch(String doc) {
    DocWatch docWatch =
        docWatches.computeIfAbsent(doc, d -> new DocWatch(upstream.partitionsOf(d)));
    docWatch.refs++;
    return watchPartitions(docWatch.partitions);
  }

  private void unwatch(String doc) {
    DocWatch docWatch = docWatches.get(doc);
    if (docWatch == null) {
      return;
    }
    unwatchPartitions(docWatch.partitions);
    if (--docWatch.refs == 0) {
      docWatches.remove(doc);
    }
  }

  /** Moves the watches of documents whose partitions changed, and reloads their feeds. */
  private void rewatchMoved() {
    for (Map.Entry<String, DocWatch> e : docWatches.entrySet()) {
      String doc = e.getKey();
      DocWatch docWatch = e.getValue();
      Set<TopicPartition> now = upstream.partitionsOf(doc);
      if (now.equals(docWatch.partitions)) {
        continue;
      }
      CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
      for (int i = 0; i < docWatch.refs; i++) {
        ready = watchPartitions(now);
        unwatchPartitions(docWatch.partitions);
      }
      docWatch.partitions = now;
      Feed feed = feeds.get(doc);
      if (feed != null && feed.loadedOnce) {
        ready.whenCompleteAsync(
            (v, error) -> {
              if (feeds.get(doc) != feed) {
                return;
              }
              if (error != null) {
                failFeed(feed, error);
              } else {
                catchUpMoved(feed, 0);
              }
            },
            loop);
      }
    }
  }

  /**
   * Asks for the snapshot of a document whose partitions moved, until a processor answers (they may
   * still be stopped for the rescale): a snapshot ahead of the feed means deltas were committed to
   * the new partition before it was watched, and replaces the subscribers' state (a reset).
   */
  private void catchUpMoved(Feed feed, int attempt) {
    reads
        .snapshot(feed.doc)
        .whenCompleteAsync(
            (snapshot, error) -> {
              if (feeds.get(feed.doc) != feed) {
                return;
              }
              if (error == null) {
                if (snapshot.seq() > feed.seq) {
                  onSnapshot(feed, snapshot);
                }
              } else if (attempt + 1 >= MAX_CATCH_UP_ATTEMPTS) {
                failFeed(feed, error);
              } else {
                loop.schedule(
                    () -> catchUpMoved(feed, attempt + 1),
                    Math.min(MAX_RELOAD_PAUSE_MILLIS, 250L << Math.min(attempt, 5)),
                    TimeUnit.MILLISECONDS);
              }
            },
            loop);
  }

  private CompletableFuture<Void> watchPartitions(Set<TopicPartition> partitions) {
    Set<TopicPartition> added = new HashSet<>();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Watch w = watches.computeIfAbsent(tp, t -> new Watch());
      if (w.refs++ == 0) {
        added.add(tp);
      } else {
        ready.add(w.ready);
      }
    }
    if (!added.isEmpty()) {
      CompletableFuture<Void> f = upstream.add(added);
      added.forEach(tp -> watches.get(tp).ready = f);
      ready.add(f);
    }
    return CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new));
  }

  private void unwatchPartitions(Set<TopicPartition> partitions) {
    Set<TopicPartition> removed = new HashSet<>();
    for (TopicPartition tp : partitions) {
      Watch w = watches.get(tp);
      if (w != null && --w.refs == 0) {
        watches.remove(tp);
        removed.add(tp);
      }
    }
    if (!removed.isEmpty()) {
      upstream.remove(removed);
    }
  }

  @Override
  public void close() {
    handOff.close();
    upstream.close();
    loop.shutdownNow();
  }

  /** The partitions a document is watched on, and how many watch it. */
  private static final class DocWatch {
    Set<TopicPartition> partitions;
    int refs;

    DocWatch(Set<TopicPartition> partitions) {
      this.partitions = partitions;
    }
  }

  private static final class Watch {
    int refs;
    CompletableFuture<Void> ready;
  }

  private static final class ClientState {
    final Set<String> docs = new LinkedHashSet<>();
  }
}
