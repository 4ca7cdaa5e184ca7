package io.docstream.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads documents and their history from another thread than the one writing them (interactive
 * queries). A snapshot is accepted only when the document's meta is the same, and not mid-write,
 * before and after its entries were read, and the entries read hash to the meta's content hash (a
 * scan torn by a record-cache flush does not).
 */
public final class DocumentReader {
  /**
   * A consistent document at one seq.
   *
   * @param hash its content hash as deltas carry it (16 hex digits); for a document not committed
   *     to since before hashes were kept, the hash of the entries read, not checked against meta
   */
  public record Snapshot(long seq, ObjectNode data, String hash) {}

  private static final int MAX_ATTEMPTS = 50;

  /** How long a read of deltas waits for slots held until a commit (the deltas topic's bound). */
  static final long HELD_SLOTS_WAIT_MILLIS = 3000;

  private static final long HELD_SLOTS_POLL_MILLIS = 2;

  private final ReadOnlyKeyValueStore<Bytes, byte[]> docs;
  private final ReadOnlyKeyValueStore<Bytes, byte[]> meta;
  private final ReadOnlyKeyValueStore<Bytes, byte[]> history;
  private final int historyDeltas;
  private final DeltaLog deltaLog;

  /**
   * @param deltaLog where the deltas the history's slots locate are read
   */
  public DocumentReader(
      ReadOnlyKeyValueStore<Bytes, byte[]> docs,
      ReadOnlyKeyValueStore<Bytes, byte[]> meta,
      ReadOnlyKeyValueStore<Bytes, byte[]> history,
      int historyDeltas,
      DeltaLog deltaLog) {
    this.docs = docs;
    this.meta = meta;
    this.history = history;
    this.historyDeltas = historyDeltas;
    this.deltaLog = deltaLog;
  }

  /** A consistent snapshot, or empty when writes kept tearing every attempt. */
  public Optional<Snapshot> snapshot(String doc) throws InterruptedException {
    Bytes key = DocumentState.metaKey(doc);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Meta before = Meta.decode(meta.get(key));
      if (!before.writing()) {
        DocumentEntries.Loaded loaded = DocumentEntries.load(docs, doc);
        if (before.equals(Meta.decode(meta.get(key)))
            && (before.legacy() || loaded.hash() == before.hash())) {
          return Optional.of(
              new Snapshot(before.seq(), loaded.root(), ContentHash.hex(loaded.hash())));
        }
      }
      Thread.sleep(1);
    }
    return Optional.empty();
  }

  public long seq(String doc) {
    return Meta.decode(meta.get(DocumentState.metaKey(doc))).seq();
  }

  /**
   * The committed deltas after {@code after}, in seq order without a gap, up to the current seq (or
   * where the deltas topic stops holding them); pending while the topic does not show a delta the
   * history records committed yet; gone when not even the delta at {@code after + 1} can be given.
   * While the writer holds the slots of the latest seqs until its commit, this waits for them up to
   * {@link #HELD_SLOTS_WAIT_MILLIS}, as the deltas topic is waited on for a commit, then answers
   * pending.
   */
  public DeltasAfter deltasAfter(String doc, long after) throws InterruptedException {
    long deadline = System.nanoTime() + HELD_SLOTS_WAIT_MILLIS * 1_000_000;
    while (true) {
      long upTo = seq(doc);
      DeltasAfter answer = DeltaHistory.after(history, deltaLog, historyDeltas, doc, after, upTo);
      if (!(answer instanceof DeltasAfter.Pending pending)
          || !DeltaHistory.heldByTheWriter(history, doc, historyDeltas, pending.seq(), upTo)
          || System.nanoTime() > deadline) {
        return answer;
      }
      Thread.sleep(HELD_SLOTS_POLL_MILLIS);
    }
  }
}
