package io.docstream.state;

import io.docstream.state.internal.KeyCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers the seq each message id was applied at, per (document, actor, id): two senders' ids
 * never collide, and a message without an actor is in the scope of the null actor. An id is
 * forgotten once it is both {@code windowMessages} commits and {@code windowMillis} of the
 * document's clock (the greatest message timestamp it has committed) old, so replay forgets exactly
 * as the first run did; or, whatever its age, when the document remembers more than {@code maxIds}
 * ids (a timestamp far ahead of the others would otherwise keep every later id inside the time
 * window). Entries are written in the same transaction as the document change, so a resend after a
 * crash is recognised exactly when the change survived.
 *
 * <p>Layout: {@code doc 'k' scope -> seq} finds an id; a queue {@code doc 'q' position -> seq clock
 * scope} holds the ids in the order they were applied, its head and tail kept in the document's
 * {@link Meta}. A commit appends its id and then expires up to {@link #EXPIRIES_PER_COMMIT} ids
 * from the head, stopping at the first one still inside the window: four changelog records per
 * message once the window is full. Each commit appends at most one id and may expire two, so ids
 * left over after a quiet spell are caught up with by the next commits.
 *
 * <p>The layout before scopes ({@code doc 'i' id -> seq} and a ring {@code doc 's' slot -> seq id})
 * is not read: ids it remembers are forgotten, and the first commit to a document whose meta
 * predates the queue deletes them.
 */
public final class Dedupe {
  /** Ids expired per commit at most, so that one commit after a quiet spell stays small. */
  static final int EXPIRIES_PER_COMMIT = 2;

  private static final byte BY_SCOPE = 'k';
  private static final byte QUEUE = 'q';
  private static final byte LEGACY_BY_ID = 'i';
  private static final byte LEGACY_SLOT = 's';

  private final KeyValueStore<Bytes, byte[]> store;
  private final long windowMessages;
  private final long windowMillis;
  private final long maxIds;

  /**
   * @param maxIds how many ids a document remembers at most, whatever their age: the bound that
   *     holds when message timestamps run far ahead (at least {@code windowMessages})
   */
  public Dedupe(
      KeyValueStore<Bytes, byte[]> store, long windowMessages, long windowMillis, long maxIds) {
    this.store = store;
    this.windowMessages = windowMessages;
    this.windowMillis = windowMillis;
    this.maxIds = Math.max(maxIds, windowMessages);
  }

  /**
   * The seq at which {@code actor}'s (null: no actor's) message {@code id} was applied to {@code
   * doc}, if still remembered.
   */
  public OptionalLong appliedAt(String doc, String actor, String id) {
    byte[] seq = store.get(byScopeKey(KeyCodec.docPrefix(doc), scope(actor, id)));
    return seq == null ? OptionalLong.empty() : OptionalLong.of(KeyCodec.readLong(seq, 0));
  }

  /**
   * Remembers the ids of the commit {@code seq} (message timestamp {@code ts}) and expires the
   * oldest ids that left the window. Returns where the queue then stands.
   */
  Meta.DedupeQueue record(
      String doc, Meta.DedupeQueue queue, long seq, long ts, String actor, List<String> ids) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    long clock = Math.max(queue.clockMillis(), ts);
    long tail = queue.tail();
    for (String id : ids) {
      byte[] scope = scope(actor, id);
      store.put(byScopeKey(prefix, scope), KeyCodec.withLong(new byte[0], seq));
      byte[] item = KeyCodec.withLong(KeyCodec.withLong(new byte[0], seq), clock);
      store.put(queueKey(prefix, tail++), KeyCodec.append(item, scope));
    }
    long head = queue.head();
    for (int i = 0; i < EXPIRIES_PER_COMMIT && head < tail; i++) {
      Bytes key = queueKey(prefix, head);
      byte[] item = store.get(key);
      if (item != null && tail - head <= maxIds && !expired(item, seq, clock)) {
        break;
      }
      if (item != null) {
        store.delete(key);
        store.delete(byScopeKey(prefix, Arrays.copyOfRange(item, 16, item.length)));
      }
      head++;
    }
    return new Meta.DedupeQueue(head, tail, clock);
  }

  /** Deletes the entries of the layout before scopes for {@code doc}. */
  void purgeLegacy(String doc) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    for (byte kind : new byte[] {LEGACY_BY_ID, LEGACY_SLOT}) {
      byte[] from = KeyCodec.append(prefix, kind);
      List<Bytes> keys = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it =
          store.range(Bytes.wrap(from), Bytes.wrap(KeyCodec.append(from, allFf(9))))) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> entry = it.next();
          keys.add(entry.key);
        }
      }
      keys.forEach(store::delete);
    }
  }

  private boolean expired(byte[] item, long seq, long clock) {
    long clockLimit = clock - windowMillis;
    return KeyCodec.readLong(item, 0) <= seq - windowMessages
        && clockLimit <= clock // no underflow
        && KeyCodec.readLong(item, 8) <= clockLimit;
  }

  /** The actor (length-prefixed, so no actor text can imitate another scope) and the id. */
  private static byte[] scope(String actor, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    if (actor == null) {
      return KeyCodec.append(new byte[] {0}, idBytes);
    }
    byte[] actorBytes = actor.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + Integer.BYTES + actorBytes.length + idBytes.length)
        .put((byte) 1)
        .putInt(actorBytes.length)
        .put(actorBytes)
        .put(idBytes)
        .array();
  }

  private static Bytes byScopeKey(byte[] docPrefix, byte[] scope) {
    return Bytes.wrap(KeyCodec.append(KeyCodec.append(docPrefix, BY_SCOPE), scope));
  }

  private static Bytes queueKey(byte[] docPrefix, long position) {
    return Bytes.wrap(KeyCodec.withLong(KeyCodec.append(docPrefix, QUEUE), position));
  }

  private static byte[] allFf(int n) {
    byte[] out = new byte[n];
    Arrays.fill(out, (byte) 0xFF);
    return out;
  }
}
