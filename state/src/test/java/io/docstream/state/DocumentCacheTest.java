package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.document.Nodes;
import org.junit.jupiter.api.Test;

class DocumentCacheTest {
  private static DocumentCache.Entry entry(long contentHeapBytes) {
    return new DocumentCache.Entry(Nodes.object(), Meta.NEW, contentHeapBytes, null);
  }

  @Test
  void shouldEvictLeastRecentlyUsedDocumentsBeyondTheBound() {
    long overhead = HeapEstimate.document("a");
    DocumentCache cache = new DocumentCache(3 * overhead + 100);
    cache.put("a", entry(60));
    cache.put("b", entry(30));
    cache.get("a");
    cache.put("c", entry(30));

    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isNotNull();
    assertThat(cache.heapBytes()).isEqualTo(2 * overhead + 90);
  }

  @Test
  void shouldCountEmptyDocumentsAgainstTheBound() {
    long overhead = HeapEstimate.document("json/doc-0000");
    assertThat(overhead).isGreaterThan(HeapEstimate.DOCUMENT_OVERHEAD);
    DocumentCache cache = new DocumentCache(100 * overhead);

    for (int i = 0; i < 1000; i++) {
      cache.put(String.format("json/doc-%04d", i), entry(0));
    }

    assertThat(cache.size()).isEqualTo(100);
    assertThat(cache.heapBytes()).isEqualTo(100 * overhead);
  }

  @Test
  void shouldKeepTheDocumentBeingPutEvenWhenItAloneExceedsTheBound() {
    DocumentCache cache = new DocumentCache(1000);
    cache.put("a", entry(10));
    cache.put("big", entry(5000));

    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("big")).isNotNull();

    cache.put("a", entry(10));
    assertThat(cache.get("big")).isNull();
    assertThat(cache.heapBytes()).isLessThanOrEqualTo(1000);
  }

  @Test
  void shouldAccountReplacedAndInvalidatedEntries() {
    DocumentCache cache = new DocumentCache(1 << 20);
    cache.put("a", entry(100));
    cache.put("a", entry(40));
    cache.put("b", entry(7));
    cache.invalidate("a");

    assertThat(cache.heapBytes()).isEqualTo(HeapEstimate.document("b") + 7);
    cache.clear();
    assertThat(cache.heapBytes()).isZero();
  }
}
