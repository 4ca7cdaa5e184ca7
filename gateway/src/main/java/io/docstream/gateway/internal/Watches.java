package io.docstream.gateway.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The upstream partitions watched for every hub shard: per document (each subscription feed and
 * each send awaiting its outcome watches once) and per partition, which many documents share. A
 * partition is added upstream when its first document is watched and removed with its last.
 * Thread-safe: every shard calls in.
 */
final class Watches {
  private final Upstream upstream;
  private final Map<TopicPartition, Watch> partitions = new HashMap<>();
  private final Map<String, DocWatch> docs = new HashMap<>();

  Watches(Upstream upstream) {
    this.upstream = upstream;
  }

  /** Watches {@code doc}; completes once its partitions' positions are fixed. */
  synchronized CompletableFuture<Void> watch(String doc) {
    DocWatch docWatch = docs.computeIfAbsent(doc, d -> new DocWatch(upstream.partitionsOf(d)));
    docWatch.refs++;
    return watchPartitions(docWatch.partitions);
  }

  /** Undoes one {@link #watch}. */
  synchronized void unwatch(String doc) {
    DocWatch docWatch = docs.get(doc);
    if (docWatch == null) {
      return;
    }
    unwatchPartitions(docWatch.partitions);
    if (--docWatch.refs == 0) {
      docs.remove(doc);
    }
  }

  /**
   * Moves the watches of documents whose partitions changed to their new partitions.
   *
   * @return per moved document, when its new partitions are read
   */
  synchronized Map<String, CompletableFuture<Void>> rewatchMoved() {
    Map<String, CompletableFuture<Void>> moved = new HashMap<>();
    for (Map.Entry<String, DocWatch> e : docs.entrySet()) {
      DocWatch docWatch = e.getValue();
      Set<TopicPartition> now = upstream.partitionsOf(e.getKey());
      if (now.equals(docWatch.partitions)) {
        continue;
      }
      CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
      for (int i = 0; i < docWatch.refs; i++) {
        ready = watchPartitions(now);
        unwatchPartitions(docWatch.partitions);
      }
      docWatch.partitions = now;
      moved.put(e.getKey(), ready);
    }
    return moved;
  }

  private CompletableFuture<Void> watchPartitions(Set<TopicPartition> wanted) {
    Set<TopicPartition> added = new HashSet<>();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (TopicPartition tp : wanted) {
      Watch w = partitions.computeIfAbsent(tp, t -> new Watch());
      if (w.refs++ == 0) {
        added.add(tp);
      } else {
        ready.add(w.ready);
      }
    }
    if (!added.isEmpty()) {
      CompletableFuture<Void> f = upstream.add(added);
      added.forEach(tp -> partitions.get(tp).ready = f);
      ready.add(f);
    }
    return CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new));
  }

  private void unwatchPartitions(Set<TopicPartition> watched) {
    Set<TopicPartition> removed = new HashSet<>();
    for (TopicPartition tp : watched) {
      Watch w = partitions.get(tp);
      if (w != null && --w.refs == 0) {
        partitions.remove(tp);
        removed.add(tp);
      }
    }
    if (!removed.isEmpty()) {
      upstream.remove(removed);
    }
  }

  /** The partitions a document is watched on, and how many watch it. */
  private static final class DocWatch {
    Set<TopicPartition> partitions;
    int refs;

    DocWatch(Set<TopicPartition> partitions) {
      this.partitions = partitions;
    }
  }

  private static final class Watch {
    int refs;
    CompletableFuture<Void> ready;
  }
}
