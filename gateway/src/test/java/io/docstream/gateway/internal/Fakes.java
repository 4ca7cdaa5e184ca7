package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.Command;
import io.docstream.serdes.Delta;
import io.docstream.serdes.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;

/** In-memory stand-ins for the hub's collaborators. */
final class Fakes {
  private Fakes() {}

  static Delta delta(long seq, String patch, String... ids) {
    return deltaBy(null, seq, patch, ids);
  }

  /** A delta whose document after it has the content hash {@code hash}. */
  static Delta hashed(long seq, String patch, String hash) {
    return new Delta(
        seq, (ObjectNode) Json.parse(patch), List.of(), System.currentTimeMillis(), null, hash);
  }

  /** A delta made by a message of {@code actor}. */
  static Delta deltaBy(String actor, long seq, String patch, String... ids) {
    return new Delta(
        seq, (ObjectNode) Json.parse(patch), List.of(ids), System.currentTimeMillis(), actor, null);
  }

  /** Upstream with one partition per document name; adding completes with {@link #adding}. */
  static final class FakeUpstream implements Upstream {
    Upstream.Listener listener;
    CompletableFuture<Void> adding = CompletableFuture.completedFuture(null);
    final Set<TopicPartition> assigned = Collections.synchronizedSet(new HashSet<>());
    volatile int partitions = 4;

    @Override
    public Set<TopicPartition> partitionsOf(String doc) {
      return Set.of(new TopicPartition("deltas", Math.floorMod(doc.hashCode(), partitions)));
    }

    /** Raises the partition count, as a rescale does, and tells the listener. */
    void addPartitions(int count) {
      partitions = count;
      listener.onPartitionsChanged();
    }

    @Override
    public CompletableFuture<Void> add(Set<TopicPartition> partitions) {
      assigned.addAll(partitions);
      return adding;
    }

    @Override
    public void remove(Set<TopicPartition> partitions) {
      assigned.removeAll(partitions);
    }

    void emit(String doc, Delta delta) {
      emit(new DeltaEvent(doc, delta));
    }

    void emit(Event event) {
      try {
        listener.onRecords(List.of(event));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {}
  }

  /** Read API whose answers the test gives, in request order. */
  static final class FakeReads implements ReadApiClient {
    final ConcurrentLinkedQueue<CompletableFuture<Snapshot>> snapshots =
        new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<DeltasRequest> deltaRequests = new ConcurrentLinkedQueue<>();

    record DeltasRequest(String doc, long after, CompletableFuture<Optional<List<Delta>>> answer) {}

    @Override
    public CompletableFuture<Snapshot> snapshot(String doc) {
      CompletableFuture<Snapshot> f = new CompletableFuture<>();
      snapshots.add(f);
      return f;
    }

    @Override
    public CompletableFuture<Optional<List<Delta>>> deltasAfter(String doc, long after) {
      CompletableFuture<Optional<List<Delta>>> f = new CompletableFuture<>();
      deltaRequests.add(new DeltasRequest(doc, after, f));
      return f;
    }

    @Override
    public void close() {}
  }

  static final class FakeCommands implements CommandSink {
    final List<Command> sent = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> send(String doc, Command command) {
      keys.add(doc);
      sent.add(command);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }

  /** A client that keeps every frame it is handed. */
  static final class RecordingClient implements Client {
    private final Viewer viewer;
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();

    RecordingClient(Viewer viewer) {
      this.viewer = viewer;
    }

    @Override
    public Viewer viewer() {
      return viewer;
    }

    @Override
    public void deliver(OutFrame frame) {
      frames.add(Json.parse(frame.utf8()));
    }

    List<JsonNode> ofType(String type) {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode f : frames) {
        if (f.path("type").asText().equals(type)) {
          out.add(f);
        }
      }
      return out;
    }

    List<Long> deltaSeqs() {
      return ofType("delta").stream().map(f -> f.get("seq").longValue()).toList();
    }
  }
}
