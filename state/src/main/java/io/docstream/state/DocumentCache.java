package io.docstream.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hot documents kept materialised in memory, least recently used evicted first, bounded by the heap
 * they retain as {@link HeapEstimate} counts it: their trees plus, per document, its name, meta and
 * the cache's own entry, so that many small (even empty) documents are bounded too. The document
 * being put is never evicted by its own put, so the bound holds to within one document. One cache
 * belongs to one stream task and is used by its thread only.
 */
public final class DocumentCache {
  /**
   * A materialised document and its meta. The root is live: commits mutate it in place.
   *
   * @param contentHeapBytes the estimated heap of the root's members (see {@link HeapEstimate})
   * @param runs what its last commit kept of its history's runs, or null
   */
  public record Entry(ObjectNode root, Meta meta, long contentHeapBytes, DeltaHistory.Runs runs) {}

  private final long maxHeapBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long heapBytes;

  public DocumentCache(long maxHeapBytes) {
    this.maxHeapBytes = maxHeapBytes;
  }

  public Entry get(String doc) {
    return entries.get(doc);
  }

  public void put(String doc, Entry entry) {
    Entry old = entries.put(doc, entry);
    heapBytes += heapBytes(doc, entry) - (old == null ? 0 : heapBytes(doc, old));
    evictBeyondBound(doc);
  }

  public void invalidate(String doc) {
    Entry old = entries.remove(doc);
    if (old != null) {
      heapBytes -= heapBytes(doc, old);
    }
  }

  public void clear() {
    entries.clear();
    heapBytes = 0;
  }

  public int size() {
    return entries.size();
  }

  /** The estimated heap the cached documents retain, per-document overhead included. */
  public long heapBytes() {
    return heapBytes;
  }

  private static long heapBytes(String doc, Entry entry) {
    return HeapEstimate.document(doc)
        + entry.contentHeapBytes()
        + (entry.runs() == null ? 0 : entry.runs().heapBytes());
  }

  private void evictBeyondBound(String keep) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (heapBytes > maxHeapBytes && it.hasNext()) {
      Map.Entry<String, Entry> eldest = it.next();
      if (!eldest.getKey().equals(keep)) {
        heapBytes -= heapBytes(eldest.getKey(), eldest.getValue());
        it.remove();
      }
    }
  }
}
