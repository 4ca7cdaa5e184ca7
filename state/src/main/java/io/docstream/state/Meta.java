package io.docstream.state;

import io.docstream.state.internal.KeyCodec;

/**
 * What docstream keeps about a document besides its content.
 *
 * @param seq the sequence number of the last commit (0 for a new document)
 * @param storedBytes the bytes its entries occupy in the store (keys plus values)
 * @param writing true between the first and the last store write of a commit, so that readers on
 *     other threads can tell a consistent snapshot from a torn one
 * @param hash the {@link ContentHash} of the document's entries
 * @param legacy true for meta written by a build before hashes and the dedupe queue: its {@code
 *     hash} is not stored (0, or computed when the document was loaded) and its dedupe entries are
 *     in the layout before scopes, purged by the next commit
 * @param slots where the document's message slots stand
 */
public record Meta(
    long seq, long storedBytes, boolean writing, long hash, boolean legacy, Slots slots) {
  public static final Meta NEW = new Meta(0, 0, false, 0, false, Slots.EMPTY);

  private static final int BEFORE_HASHES_BYTES = 17;
  private static final int QUEUE_LAYOUT_BYTES = 49;
  private static final int SLOTS_BYTES = 57;
  private static final int SLOTS_MIGRATING_BYTES = 81;
  private static final int RUNS_BYTES = 65;
  private static final int RUNS_MIGRATING_BYTES = 89;

  /**
   * Where a document's message slots (one per seq, {@link DeltaHistory}) stand, and what is left of
   * the layout before them.
   *
   * @param slotHead the oldest seq whose slot is still held (slots are held for every seq from it
   *     to the document's seq)
   * @param idHead the oldest seq whose message id, if it had one, may still be remembered
   * @param idCount how many ids the slots from {@code idHead} on remember
   * @param clockMillis the greatest message timestamp the document has committed, the clock by
   *     which ids expire (monotonic, so one far-off timestamp cannot block expiry)
   * @param queueHead the oldest position of the dedupe queue written before slots (2026-12-04)
   * @param queueTail the position after its newest item; {@code queueHead == queueTail} once it is
   *     drained
   * @param ringUntil the last seq whose delta the history ring written before slots may hold, or 0
   *     when the document has no such ring (any more)
   * @param runsFrom the first seq whose slot is in a run ({@link DeltaHistory.Run}); the seqs
   *     before it have a slot record each, written before runs (2026-12-07)
   */
  public record Slots(
      long slotHead,
      long idHead,
      long idCount,
      long clockMillis,
      long queueHead,
      long queueTail,
      long ringUntil,
      long runsFrom) {
    public static final Slots EMPTY = new Slots(1, 1, 0, Long.MIN_VALUE, 0, 0, 0, 1);

    boolean migrating() {
      return queueHead < queueTail || ringUntil > 0;
    }

    /** Ids remembered, in slots and in the queue written before them. */
    long ids() {
      return idCount + (queueTail - queueHead);
    }
  }

  byte[] encode() {
    byte[] out = KeyCodec.withLong(KeyCodec.withLong(new byte[0], seq), storedBytes);
    out = KeyCodec.append(out, (byte) (writing ? 1 : 0));
    out = KeyCodec.withLong(KeyCodec.withLong(out, hash), slots.slotHead());
    out = KeyCodec.withLong(KeyCodec.withLong(out, slots.idHead()), slots.idCount());
    out = KeyCodec.withLong(KeyCodec.withLong(out, slots.clockMillis()), slots.runsFrom());
    if (slots.migrating()) {
      out = KeyCodec.withLong(KeyCodec.withLong(out, slots.queueHead()), slots.queueTail());
      out = KeyCodec.withLong(out, slots.ringUntil());
    }
    return out;
  }

  /**
   * Decodes meta of any layout: before hashes (17 bytes), with the dedupe queue (49), with slots
   * (57), with slots while the queue or ring of an older layout is left (81), and the same two with
   * runs (65, 89). Meta of an older layout starts its slots, or its runs, at the next seq and keeps
   * its queue and ring to drain.
   */
  static Meta decode(byte[] bytes) {
    if (bytes == null) {
      return NEW;
    }
    long seq = KeyCodec.readLong(bytes, 0);
    long storedBytes = KeyCodec.readLong(bytes, 8);
    boolean writing = bytes[16] == 1;
    if (bytes.length == BEFORE_HASHES_BYTES) {
      Slots slots = new Slots(seq + 1, seq + 1, 0, Long.MIN_VALUE, 0, 0, seq, seq + 1);
      return new Meta(seq, storedBytes, writing, 0, true, slots);
    }
    long hash = KeyCodec.readLong(bytes, 17);
    Slots slots =
        switch (bytes.length) {
          case QUEUE_LAYOUT_BYTES ->
              new Slots(
                  seq + 1,
                  seq + 1,
                  0,
                  KeyCodec.readLong(bytes, 41),
                  KeyCodec.readLong(bytes, 25),
                  KeyCodec.readLong(bytes, 33),
                  seq,
                  seq + 1);
          case SLOTS_BYTES, SLOTS_MIGRATING_BYTES -> slots(bytes, 57, seq + 1);
          case RUNS_BYTES, RUNS_MIGRATING_BYTES -> slots(bytes, 65, KeyCodec.readLong(bytes, 57));
          default -> throw new IllegalStateException("meta of " + bytes.length + " bytes");
        };
    return new Meta(seq, storedBytes, writing, hash, false, slots);
  }

  /** The slots of meta with slots, whose older layout's positions (if any) follow {@code at}. */
  private static Slots slots(byte[] bytes, int at, long runsFrom) {
    boolean migrating = bytes.length > at;
    return new Slots(
        KeyCodec.readLong(bytes, 25),
        KeyCodec.readLong(bytes, 33),
        KeyCodec.readLong(bytes, 41),
        KeyCodec.readLong(bytes, 49),
        migrating ? KeyCodec.readLong(bytes, at) : 0,
        migrating ? KeyCodec.readLong(bytes, at + 8) : 0,
        migrating ? KeyCodec.readLong(bytes, at + 16) : 0,
        runsFrom);
  }

  Meta withWriting(boolean flag) {
    return new Meta(seq, storedBytes, flag, hash, legacy, slots);
  }

  Meta withHash(long value) {
    return new Meta(seq, storedBytes, writing, value, legacy, slots);
  }
}
