package io.docstream.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hot documents kept materialised in memory, least recently used evicted first, bounded by the sum
 * of their stored sizes. One cache belongs to one stream task and is used by its thread only.
 */
public final class DocumentCache {
  /** A materialised document and its meta. The root is live: commits mutate it in place. */
  public record Entry(ObjectNode root, Meta meta) {}

  private final long maxStoredBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long storedBytes;

  public DocumentCache(long maxStoredBytes) {
    this.maxStoredBytes = maxStoredBytes;
  }

  public Entry get(String doc) {
    return entries.get(doc);
  }

  public void put(String doc, Entry entry) {
    Entry old = entries.put(doc, entry);
    storedBytes += entry.meta().storedBytes() - (old == null ? 0 : old.meta().storedBytes());
    evictBeyondBound(doc);
  }

  public void invalidate(String doc) {
    Entry old = entries.remove(doc);
    if (old != null) {
      storedBytes -= old.meta().storedBytes();
    }
  }

  public void clear() {
    entries.clear();
    storedBytes = 0;
  }

  public int size() {
    return entries.size();
  }

  public long storedBytes() {
    return storedBytes;
  }

  private void evictBeyondBound(String keep) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (storedBytes > maxStoredBytes && it.hasNext()) {
      Map.Entry<String, Entry> eldest = it.next();
      if (!eldest.getKey().equals(keep)) {
        storedBytes -= eldest.getValue().meta().storedBytes();
        it.remove();
      }
    }
  }
}
