package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.gateway.internal.Feed.Sub;
import io.docstream.serdes.Delta;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one shard's feeds current: loads a feed's snapshot, confirms it against the committed
 * deltas (loading it again when they contradict it), applies committed deltas in seq order and
 * fills gaps from the read API. Runs on its shard's thread.
 *
 * <p>Loading a document: its partitions are watched first (positions fixed at the end), so every
 * delta the snapshot may miss is read and buffered; then the snapshot is fetched, buffered deltas
 * up to its seq are dropped and the rest applied in order. A gap in seq fetches the missing deltas
 * from the read API, or a fresh snapshot that replaces subscribers' state ("reset").
 *
 * <p>Committed deltas are the source of truth: the read API reads live stores, which may be ahead
 * of the last commit. A snapshot stays unconfirmed until a committed delta at or after its seq is
 * read; the one at its seq must carry the snapshot's hash, or the document is loaded again and
 * every subscriber gets the new state as a reset. Deltas from the read API are used only below a
 * seq seen committed, or up to an unconfirmed snapshot whose hash they reproduce.
 */
final class FeedLoader {
  private static final Logger LOG = LoggerFactory.getLogger(FeedLoader.class);
  private static final long MAX_RELOAD_PAUSE_MILLIS = 5000;

  /** About ten minutes of asking for a moved document at the longest pause. */
  private static final int MAX_CATCH_UP_ATTEMPTS = 120;

  private final ScheduledExecutorService loop;
  private final ReadApiClient reads;
  private final GatewayMetrics metrics;
  private final Fanout fanout;
  private final Predicate<Feed> current;
  private final BiConsumer<Feed, Throwable> fail;

  /**
   * @param loop the shard's thread
   * @param current true while a feed is the one its shard holds for its document
   * @param fail ends a feed that cannot be loaded, telling its subscribers
   */
  FeedLoader(
      ScheduledExecutorService loop,
      ReadApiClient reads,
      GatewayMetrics metrics,
      Fanout fanout,
      Predicate<Feed> current,
      BiConsumer<Feed, Throwable> fail) {
    this.loop = loop;
    this.reads = reads;
    this.metrics = metrics;
    this.fanout = fanout;
    this.current = current;
    this.fail = fail;
  }

  /** Fetches the feed's snapshot; once it arrives the feed is live and its subscribers served. */
  void load(Feed feed) {
    reads
        .snapshot(feed.doc)
        .whenCompleteAsync(
            (snapshot, error) -> {
              if (!current.test(feed)) {
                return;
              }
              if (error != null) {
                fail.accept(feed, error);
              } else {
                onSnapshot(feed, snapshot);
              }
            },
            loop);
  }

  /** A committed delta read upstream. */
  void onCommitted(Feed feed, Delta delta) {
    feed.committedSeq = Math.max(feed.committedSeq, delta.seq());
    if (feed.live) {
      apply(feed, delta);
    } else {
      feed.buffer(delta);
    }
  }

  /**
   * Asks for the snapshot of a document whose partitions moved, until a processor answers (they may
   * still be stopped for the rescale): a snapshot ahead of the feed means deltas were committed to
   * the new partition before it was watched, and replaces the subscribers' state (a reset).
   */
  void catchUpMoved(Feed feed, int attempt) {
    reads
        .snapshot(feed.doc)
        .whenCompleteAsync(
            (snapshot, error) -> {
              if (!current.test(feed)) {
                return;
              }
              if (error == null) {
                if (snapshot.seq() > feed.seq) {
                  onSnapshot(feed, snapshot);
                }
              } else if (attempt + 1 >= MAX_CATCH_UP_ATTEMPTS) {
                fail.accept(feed, error);
              } else {
                loop.schedule(
                    () -> catchUpMoved(feed, attempt + 1),
                    Math.min(MAX_RELOAD_PAUSE_MILLIS, 250L << Math.min(attempt, 5)),
                    TimeUnit.MILLISECONDS);
              }
            },
            loop);
  }

  private void onSnapshot(Feed feed, ReadApiClient.Snapshot snapshot) {
    Delta seen = feed.committedAt(snapshot.seq());
    if (seen != null && !Feed.sameOrUnknown(snapshot.hash(), seen.hash())) {
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
        fanout.start(feed, sub);
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
    fanout.deliver(feed, delta, before);
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
    if (delta.seq() > snapshot.seq() || Feed.sameOrUnknown(snapshot.hash(), delta.hash())) {
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
      load(feed);
      return;
    }
    long pauseMillis = Math.min(MAX_RELOAD_PAUSE_MILLIS, 100L << Math.min(before, 6));
    loop.schedule(
        () -> {
          if (current.test(feed)) {
            load(feed);
          }
        },
        pauseMillis,
        TimeUnit.MILLISECONDS);
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
              if (!current.test(feed) || feed.live || feed.seq != from) {
                return;
              }
              List<Delta> missing =
                  error == null && deltas.isPresent() ? between(deltas.get(), from, gapSeq) : null;
              if (missing == null) {
                load(feed);
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
}
