package io.docstream.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One stream task's view of its documents: content (through the hot cache), meta, history, dedupe
 * and timers. A commit writes all of them; Kafka Streams' exactly-once commits them atomically with
 * the input offsets and the output records.
 */
public final class DocumentState {
  private final KeyValueStore<Bytes, byte[]> docs;
  private final KeyValueStore<Bytes, byte[]> meta;
  private final DeltaHistory history;
  private final Dedupe dedupe;
  private final Timers timers;
  private final DocumentCache cache;
  private final StateLimits limits;

  public DocumentState(
      KeyValueStore<Bytes, byte[]> docs,
      KeyValueStore<Bytes, byte[]> meta,
      KeyValueStore<Bytes, byte[]> history,
      KeyValueStore<Bytes, byte[]> dedupe,
      KeyValueStore<Bytes, byte[]> timers,
      StateLimits limits) {
    this.docs = docs;
    this.meta = meta;
    this.history = new DeltaHistory(history, ThreadFlushedStore::flushes);
    this.dedupe =
        new Dedupe(
            dedupe,
            this.history,
            limits.historyDeltas(),
            limits.dedupeWindowMessages(),
            limits.dedupeWindowMillis(),
            StateLimits.MAX_REMEMBERED_IDS);
    this.timers = new Timers(timers);
    this.cache = new DocumentCache(limits.cacheBytes());
    this.limits = limits;
  }

  /** Opens the task's stores as registered by {@link DocumentStores}. */
  public static DocumentState open(ProcessingContext context, StateLimits limits) {
    return new DocumentState(
        context.getStateStore(StoreNames.DOCS),
        context.getStateStore(StoreNames.META),
        context.getStateStore(StoreNames.HISTORY),
        context.getStateStore(StoreNames.DEDUPE),
        context.getStateStore(StoreNames.TIMERS),
        limits);
  }

  /**
   * The document, materialised from the cache or the store. Its root is live and cached. Meta
   * written before content hashes gets the hash of the entries loaded, stored by the next commit;
   * other meta is trusted (the entries are not hashed again).
   */
  public DocumentCache.Entry open(String doc) {
    DocumentCache.Entry entry = cache.get(doc);
    if (entry == null) {
      Meta stored = Meta.decode(meta.get(metaKey(doc)));
      DocumentEntries.Loaded loaded = DocumentEntries.load(docs, doc, stored.legacy());
      entry =
          new DocumentCache.Entry(
              loaded.root(),
              stored.legacy() ? stored.withHash(loaded.hash()) : stored,
              loaded.contentHeapBytes(),
              null);
      cache.put(doc, entry);
    }
    return entry;
  }

  public Dedupe dedupe() {
    return dedupe;
  }

  public Timers timers() {
    return timers;
  }

  public StateLimits limits() {
    return limits;
  }

  /** The entry writes that {@code patch} needs; check limits with it before committing. */
  public EntryPlan plan(String doc, ObjectNode patch) {
    return DocumentEntries.plan(docs, doc, patch);
  }

  /**
   * Persists one commit: the entries of the plan, the new meta, the message's slot (where its delta
   * goes, {@code delta}) and its ids (of {@code actor}, timestamp {@code ts}) in the dedupe window.
   * The cached root must already hold the new content.
   */
  public void commit(
      String doc,
      EntryPlan plan,
      long seq,
      long ts,
      String actor,
      DeltaLocation delta,
      List<String> ids) {
    DocumentCache.Entry entry = open(doc);
    Meta before = entry.meta();
    Bytes key = metaKey(doc);
    meta.put(key, before.withWriting(true).encode());
    plan.apply(docs);
    if (before.legacy()) {
      dedupe.purgeLegacy(doc);
    }
    Dedupe.Recorded recorded =
        dedupe.record(doc, before.slots(), entry.runs(), seq, ts, delta, actor, ids);
    Meta next =
        new Meta(
            seq,
            before.storedBytes() + plan.storedBytesChange(),
            false,
            before.hash() + plan.hashChange(),
            false,
            recorded.slots());
    meta.put(key, next.encode());
    cache.put(
        doc,
        new DocumentCache.Entry(
            entry.root(),
            next,
            entry.contentHeapBytes() + plan.heapBytesChange(),
            recorded.runs()));
  }

  /**
   * Forgets materialised documents and the history runs held for the commit, when the task closes:
   * a clean close has flushed them already, a dirty one rolls them back.
   */
  public void dropCache() {
    cache.clear();
    history.dropHeld();
  }

  public DocumentCache cache() {
    return cache;
  }

  static Bytes metaKey(String doc) {
    return Bytes.wrap(doc.getBytes(StandardCharsets.UTF_8));
  }
}
