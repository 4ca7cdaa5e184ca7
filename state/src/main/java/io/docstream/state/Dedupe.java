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
 * <p>Layout: {@code doc 'k' scope -> seq} finds an id. The order in which ids expire is the order
 * of the message slots ({@link DeltaHistory}), which hold each message's scopes and the clock after
 * it: no record of its own per id besides the entry. A commit adds its slot and id entry, then
 * walks at most {@link #EXPIRIES_PER_COMMIT} slots from {@link Meta.Slots#idHead}, forgetting their
 * ids while they are out of the window. The walk keeps its place between commits ({@link
 * DeltaHistory.Runs#head}), so it reads a run only when it enters one. A commit then deletes the
 * run at {@link Meta.Slots#slotHead} once even a run of {@link DeltaHistory#MAX_RUN_SLOTS} slots
 * from there would be both out of the history and past the id walk, at most {@link
 * #EXPIRIES_PER_COMMIT} runs a commit: slots are held up to that many seqs longer than the windows
 * need, and deleting them reads nothing but the run. Once both windows are full, a message with an
 * id writes its id entry and deletes an expired one; its slot adds to its run (one record per
 * document and commit) and a run is deleted as often as one fills.
 *
 * <p>Ids remembered by the layout before slots (a queue {@code doc 'q' position -> seq clock
 * scope}, its head and tail in meta) are honoured: their entries are the same, and the queue is
 * drained by the same rules, before the slots' ids since it holds older ones. The layout before
 * scopes ({@code doc 'i' id -> seq} and a ring {@code doc 's' slot -> seq id}) is not read: ids it
 * remembers are forgotten, and the first commit to a document whose meta predates the queue deletes
 * them.
 */
public final class Dedupe {
  /**
   * Ids and slots expired per commit at most, so that one commit after a quiet spell stays small.
   */
  static final int EXPIRIES_PER_COMMIT = 2;

  private static final byte BY_SCOPE = 'k';
  private static final byte QUEUE = 'q';
  private static final byte LEGACY_BY_ID = 'i';
  private static final byte LEGACY_SLOT = 's';

  private final KeyValueStore<Bytes, byte[]> store;
  private final DeltaHistory history;
  private final int historyDeltas;
  private final long windowMessages;
  private final long windowMillis;
  private final long maxIds;

  /**
   * @param historyDeltas how many slots back {@code ?after=S} reaches: slots are kept at least that
   *     long
   * @param maxIds how many ids a document remembers at most, whatever their age: the bound that
   *     holds when message timestamps run far ahead (at least {@code windowMessages})
   */
  public Dedupe(
      KeyValueStore<Bytes, byte[]> store,
      DeltaHistory history,
      int historyDeltas,
      long windowMessages,
      long windowMillis,
      long maxIds) {
    this.store = store;
    this.history = history;
    this.historyDeltas = historyDeltas;
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

  /** Where the slots stand after a commit, and what the commit keeps in memory of their runs. */
  record Recorded(Meta.Slots slots, DeltaHistory.Runs runs) {}

  /**
   * Writes the slot of commit {@code seq} (message timestamp {@code ts}, its delta at {@code
   * delta}) and its ids' entries, then expires what left the windows. {@code runs} is what the
   * document's last commit kept in memory, or null.
   */
  Recorded record(
      String doc,
      Meta.Slots before,
      DeltaHistory.Runs runs,
      long seq,
      long ts,
      DeltaLocation delta,
      String actor,
      List<String> ids) {
    byte[] prefix = KeyCodec.docPrefix(doc);
    long clock = Math.max(before.clockMillis(), ts);
    List<byte[]> scopes = new ArrayList<>(ids.size());
    for (String id : ids) {
      byte[] scope = scope(actor, id);
      scopes.add(scope);
      store.put(byScopeKey(prefix, scope), KeyCodec.withLong(new byte[0], seq));
    }
    DeltaHistory.Runs written =
        history.append(
            prefix,
            runs,
            seq,
            new DeltaHistory.Slot(clock, delta.timestampMillis(), delta.partition(), scopes));
    DeltaHistory.Cursor head = written.head();
    long idCount = before.idCount() + scopes.size();
    long queueHead = before.queueHead();
    long queueTail = before.queueTail();
    long idHead = before.idHead();
    for (int i = 0; i < EXPIRIES_PER_COMMIT; i++) {
      long remembered = idCount + (queueTail - queueHead);
      if (queueHead < queueTail) {
        Bytes key = queueKey(prefix, queueHead);
        byte[] item = store.get(key);
        if (item != null
            && remembered <= maxIds
            && !expired(KeyCodec.readLong(item, 0), KeyCodec.readLong(item, 8), seq, clock)) {
          break;
        }
        if (item != null) {
          store.delete(key);
          store.delete(byScopeKey(prefix, Arrays.copyOfRange(item, 16, item.length)));
        }
        queueHead++;
      } else if (idHead <= seq) {
        head = history.cursor(prefix, head, idHead, before.runsFrom());
        DeltaHistory.Slot slot = head == null ? null : head.slot();
        if (slot != null && !slot.scopes().isEmpty()) {
          if (remembered <= maxIds && !expired(idHead, slot.clockMillis(), seq, clock)) {
            break;
          }
          for (byte[] scope : slot.scopes()) {
            store.delete(byScopeKey(prefix, scope));
          }
          idCount -= slot.scopes().size();
        }
        idHead++;
      }
    }
    long slotHead = before.slotHead();
    long runsFrom = before.runsFrom();
    for (int i = 0; i < EXPIRIES_PER_COMMIT && slotHead < idHead && slotHead < runsFrom; i++) {
      if (slotHead > seq - historyDeltas) {
        break;
      }
      history.deleteSlot(prefix, slotHead++);
    }
    for (int i = 0; i < EXPIRIES_PER_COMMIT && slotHead >= runsFrom; i++) {
      long runMaxLast = slotHead + DeltaHistory.MAX_RUN_SLOTS - 1;
      if (runMaxLast >= idHead || runMaxLast > seq - historyDeltas) {
        break;
      }
      slotHead = history.deleteRun(prefix, slotHead);
    }
    long ringUntil = before.ringUntil();
    if (ringUntil > 0 && seq - historyDeltas >= ringUntil) {
      history.purgeRing(prefix);
      ringUntil = 0;
    }
    return new Recorded(
        new Meta.Slots(slotHead, idHead, idCount, clock, queueHead, queueTail, ringUntil, runsFrom),
        new DeltaHistory.Runs(written.open(), written.flushes(), head));
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

  private boolean expired(long appliedSeq, long appliedClock, long seq, long clock) {
    long clockLimit = clock - windowMillis;
    return appliedSeq <= seq - windowMessages
        && clockLimit <= clock // no underflow
        && appliedClock <= clockLimit;
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
