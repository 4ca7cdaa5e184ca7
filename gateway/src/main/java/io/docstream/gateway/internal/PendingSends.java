package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.GatewayLimits;
import io.docstream.serdes.Command;
import io.docstream.serdes.Delta;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Rejection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sends awaiting their outcome on one hub shard, owned by its thread (a document's sends live
 * on its document's shard, so an ack follows the delta it acknowledges). A send is produced once
 * its document's partitions are watched (so its outcome cannot be missed), after the previous send
 * to the same document, with actor = the viewer. Ids are unique per (document, actor), so a send is
 * settled only by an outcome with the same document, actor and id: an ack on the delta carrying the
 * id, a reject (or an ack for DUPLICATE, with its seq) from the rejections topic, or a reject 4420
 * after the ack timeout.
 */
final class PendingSends {
  private static final Logger LOG = LoggerFactory.getLogger(PendingSends.class);

  private final ScheduledExecutorService loop;
  private final CommandSink commands;
  private final GatewayLimits limits;
  private final SendQuota quota;
  private final GatewayMetrics metrics;
  private final Function<String, CompletableFuture<Void>> watch;
  private final Consumer<String> unwatch;

  /** Per document, the hand-off of its latest send to Kafka: the next one waits for it. */
  private final Map<String, CompletableFuture<Void>> lastDispatch = new HashMap<>();

  private final Map<Key, List<Pending>> pending = new HashMap<>();
  private final Map<Client, Set<Pending>> byClient = new HashMap<>();

  /**
   * @param loop the shard's thread
   * @param quota the pending sends per client, all shards together
   * @param watch watches a document's partitions; completes once their positions are fixed
   * @param unwatch undoes one {@code watch}
   */
  PendingSends(
      ScheduledExecutorService loop,
      CommandSink commands,
      GatewayLimits limits,
      SendQuota quota,
      GatewayMetrics metrics,
      Function<String, CompletableFuture<Void>> watch,
      Consumer<String> unwatch) {
    this.loop = loop;
    this.commands = commands;
    this.limits = limits;
    this.quota = quota;
    this.metrics = metrics;
    this.watch = watch;
    this.unwatch = unwatch;
  }

  void send(Client client, String doc, String id, JsonNode body) {
    if (!quota.tryAcquire(client)) {
      client.deliver(
          reject(
              id,
              doc,
              ErrorCode.TOO_MANY_PENDING_SENDS,
              limits.maxPendingSends() + " sends already await their outcome"));
      return;
    }
    Pending p = new Pending(client, doc, id);
    pending.computeIfAbsent(p.key(), k -> new ArrayList<>(1)).add(p);
    byClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(p);
    p.timeout =
        loop.schedule(
            () ->
                finishWith(
                    p,
                    reject(
                        id,
                        doc,
                        ErrorCode.ACK_TIMEOUT,
                        "no outcome within " + limits.ackTimeoutMillis() + " ms")),
            limits.ackTimeoutMillis(),
            TimeUnit.MILLISECONDS);
    Command command = new Command(id, body, client.viewer().id(), null, null);
    CompletableFuture<Void> previous =
        lastDispatch.getOrDefault(doc, CompletableFuture.completedFuture(null));
    CompletableFuture<CompletableFuture<Void>> dispatched =
        CompletableFuture.allOf(watch.apply(doc), previous)
            .thenApply(ready -> commands.send(doc, command));
    CompletableFuture<Void> handedOff = dispatched.handle((sent, error) -> null);
    lastDispatch.put(doc, handedOff);
    handedOff.thenRunAsync(() -> lastDispatch.remove(doc, handedOff), loop);
    dispatched
        .thenCompose(sent -> sent)
        .whenCompleteAsync(
            (ok, error) -> {
              if (error != null) {
                LOG.warn("cannot send {} to {}: {}", id, doc, error.toString());
                finishWith(p, reject(id, doc, ErrorCode.COMMAND_NOT_SENT, "cannot write to Kafka"));
              }
            },
            loop);
  }

  /** A committed delta of {@code doc}: acks the sends it applied. */
  void onDelta(String doc, Delta delta) {
    for (String id : delta.ids()) {
      resolve(doc, delta.actor(), id, () -> OutFrame.ack(id, doc, delta.seq()));
    }
  }

  /** A rejection on {@code doc}: a DUPLICATE with its seq acks, anything else rejects. */
  void onRejection(String doc, Rejection rejection) {
    if (rejection.id() == null) {
      return;
    }
    if (rejection.code() == ErrorCode.DUPLICATE.code() && rejection.seq() != null) {
      resolve(
          doc,
          rejection.actor(),
          rejection.id(),
          () -> OutFrame.ack(rejection.id(), doc, rejection.seq()));
    } else {
      resolve(
          doc,
          rejection.actor(),
          rejection.id(),
          () -> {
            metrics.rejected(rejection.code());
            return OutFrame.reject(rejection.id(), doc, rejection.code(), rejection.error());
          });
    }
  }

  /** Forgets the sends of a client that went away. */
  void disconnect(Client client) {
    Set<Pending> ofClient = byClient.remove(client);
    if (ofClient != null) {
      for (Pending p : List.copyOf(ofClient)) {
        finish(p);
      }
    }
  }

  private void resolve(String doc, String actor, String id, Supplier<OutFrame> frame) {
    List<Pending> waiting = pending.get(new Key(doc, actor, id));
    if (waiting == null) {
      return;
    }
    OutFrame out = frame.get();
    for (Pending p : List.copyOf(waiting)) {
      finishWith(p, out);
    }
  }

  private void finishWith(Pending p, OutFrame frame) {
    if (finish(p)) {
      if (frame.kind() == OutFrame.Kind.ACK) {
        metrics.acks.increment();
      }
      p.client.deliver(frame);
    }
  }

  private OutFrame reject(String id, String doc, ErrorCode code, String error) {
    metrics.rejected(code.code());
    return OutFrame.reject(id, doc, code.code(), error);
  }

  /** Forgets {@code p}; false when it was already finished. */
  private boolean finish(Pending p) {
    if (p.done) {
      return false;
    }
    p.done = true;
    p.timeout.cancel(false);
    List<Pending> waiting = pending.get(p.key());
    if (waiting != null && waiting.remove(p) && waiting.isEmpty()) {
      pending.remove(p.key());
    }
    Set<Pending> ofClient = byClient.get(p.client);
    if (ofClient != null && ofClient.remove(p) && ofClient.isEmpty()) {
      byClient.remove(p.client);
    }
    quota.release(p.client);
    unwatch.accept(p.doc);
    return true;
  }

  private record Key(String doc, String actor, String id) {}

  private static final class Pending {
    final Client client;
    final String doc;
    final String id;
    ScheduledFuture<?> timeout;
    boolean done;

    Pending(Client client, String doc, String id) {
      this.client = client;
      this.doc = doc;
      this.id = id;
    }

    Key key() {
      return new Key(doc, client.viewer().id(), id);
    }
  }
}
