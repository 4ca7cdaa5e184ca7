package io.docstream.gateway.internal;

import io.docstream.gateway.Viewer;
import io.docstream.gateway.internal.Feed.Sub;
import io.docstream.serdes.Delta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the subscribers of one shard's feeds: a first snapshot or the missed deltas (from the
 * feed's history, else the read API), then each applied delta once and in seq order, filtered for
 * the subscriber's view. Runs on its shard's thread.
 */
final class Fanout {
  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private final Executor loop;
  private final ReadApiClient reads;
  private final GatewayMetrics metrics;
  private final Predicate<Feed> current;
  private long readNanos;

  /**
   * @param loop the shard's thread
   * @param current true while a feed is the one its shard holds for its document
   */
  Fanout(Executor loop, ReadApiClient reads, GatewayMetrics metrics, Predicate<Feed> current) {
    this.loop = loop;
    this.reads = reads;
    this.metrics = metrics;
    this.current = current;
  }

  /** When the records being applied left the upstream consumer; 0 outside of a batch. */
  void readNanos(long nanos) {
    readNanos = nanos;
  }

  /** Serves a subscriber of a live feed its snapshot, or the deltas after its {@code since}. */
  void start(Feed feed, Sub sub) {
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

  /**
   * Hands a delta just applied to the feed to every subscriber. {@code before} is the readers lists
   * before it; subscribers with the same view share one serialization.
   */
  void deliver(Feed feed, Delta delta, ViewFilter.Access before) {
    Map<Viewer, OutFrame> frames = new HashMap<>();
    for (Sub sub : feed.subs.values()) {
      deliver(feed, sub, delta, before, frames);
    }
  }

  private void caughtUp(Feed feed, Sub sub, Optional<List<Delta>> deltas, Throwable error) {
    if (!current.test(feed) || feed.subs.get(sub.client) != sub || !sub.catchingUp) {
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
        return Feed.sameOrUnknown(snapshot.hash(), d.hash());
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
   * Hands {@code delta} to one subscriber if it is the next it needs. {@code frames} caches this
   * delta's frame per view.
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
                        feed.view.filterDelta(delta.patch(), v, before, feed.access, feed.data))
                    .withReadNanos(readNanos));
    sub.client.deliver(frame);
    sub.lastSeq = delta.seq();
  }
}
