package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Delta;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One watched document, shared by all its subscribers on this gateway: the document as of {@link
 * #seq}, recent deltas, and the deltas read while a snapshot or missing deltas are being fetched.
 * Owned by the thread of its document's {@link HubShard}.
 */
final class Feed {
  /** Deltas held while loading; beyond this the oldest go, and the gap is fetched later. */
  static final int MAX_BUFFERED = 10_000;

  final String doc;
  final ViewFilter view;
  final int historyLimit;
  final Map<Client, Sub> subs = new LinkedHashMap<>();
  ArrayDeque<Delta> buffer = new ArrayDeque<>();
  final ArrayDeque<Delta> history = new ArrayDeque<>();

  /** True when {@link #data} and {@link #seq} are current and deltas apply as they come. */
  boolean live;

  /** True once a snapshot was loaded: a later snapshot replaces subscribers' state (reset). */
  boolean loadedOnce;

  ObjectNode data;
  long seq;

  /** The highest seq of a committed delta seen (read upstream, or below one read upstream). */
  long committedSeq;

  /**
   * The loaded snapshot until a committed delta at or after its seq confirms it; null once
   * confirmed. The read API may serve a state ahead of the last commit, which an aborted
   * transaction can undo.
   */
  Unconfirmed unconfirmed;

  /** Snapshots in a row that committed deltas contradicted; reloads pause longer as it grows. */
  int contradictions;

  /** Who {@link #data} lists for the space's readers rules. */
  ViewFilter.Access access;

  Feed(String doc, ViewFilter view, int historyLimit) {
    this.doc = doc;
    this.view = view;
    this.historyLimit = historyLimit;
  }

  void buffer(Delta delta) {
    if (buffer.size() >= MAX_BUFFERED) {
      buffer.pollFirst();
    }
    buffer.addLast(delta);
  }

  void remember(Delta delta) {
    if (historyLimit == 0) {
      return;
    }
    if (history.size() >= historyLimit) {
      history.pollFirst();
    }
    history.addLast(delta);
  }

  /** The committed delta at {@code seq} if the history or the buffer holds it, else null. */
  Delta committedAt(long seq) {
    for (Delta d : history) {
      if (d.seq() == seq) {
        return d;
      }
    }
    for (Delta d : buffer) {
      if (d.seq() == seq) {
        return d;
      }
    }
    return null;
  }

  /** True when the history holds every delta after {@code since} up to {@link #seq}. */
  boolean historyCovers(long since) {
    return since >= seq || (!history.isEmpty() && history.peekFirst().seq() <= since + 1);
  }

  /** True when two content hashes match, or one is unknown (data from before hashes). */
  static boolean sameOrUnknown(String hash, String other) {
    return hash == null || other == null || hash.equals(other);
  }

  /** A snapshot not yet seen committed: its seq and content hash (null when unknown). */
  record Unconfirmed(long seq, String hash) {}

  /** One connection's subscription to this document. */
  static final class Sub {
    final Client client;

    /** The seq the client resumes after, until it has been served; null for a snapshot. */
    Long since;

    /** The next snapshot replaces the client's state ("reset": true). */
    boolean reset;

    /** Served its first snapshot or its missed deltas. */
    boolean started;

    /** Waiting for missed deltas from the read API; live deltas come from the history after. */
    boolean catchingUp;

    /** The last seq handed to the client. */
    long lastSeq;

    Sub(Client client, Long since) {
      this.client = client;
      this.since = since;
    }
  }
}
