package io.docstream.topology.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.TrackedDocument;
import io.docstream.serdes.Command;
import io.docstream.serdes.Delta;
import io.docstream.serdes.DeltaJson;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.Rejection;
import io.docstream.spaces.Invocation;
import io.docstream.spaces.Space;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.spaces.TimerRequest;
import io.docstream.state.ContentHash;
import io.docstream.state.DeltaLocation;
import io.docstream.state.DocumentCache;
import io.docstream.state.DocumentState;
import io.docstream.state.EntryPlan;
import io.docstream.state.StateLimits;
import io.docstream.state.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one message to its document: reserved ids, dedupe, timer staleness, logic on a
 * change-tracking document, then a commit of content, meta, history, dedupe and timers. Everything
 * that can fail (serializing the delta and the timer messages, planning entries, checking limits)
 * is done before the first store write. A message that is rejected, throws or breaks a limit leaves
 * every store and the cache as they were; and whatever {@link #apply} throws, it leaves no change
 * in the cache that the stores do not hold.
 */
final class DocumentApplier {
  static final String TIMER_ACTOR = "docstream:timer";
  private static final Logger LOG = LoggerFactory.getLogger(DocumentApplier.class);

  private final SpaceRegistry spaces;
  private final DocumentState state;
  private final int maxDeltaBytes;

  DocumentApplier(SpaceRegistry spaces, DocumentState state, int maxDeltaBytes) {
    this.spaces = spaces;
    this.state = state;
    this.maxDeltaBytes = maxDeltaBytes;
  }

  /** A commit with every store write worked out and every limit checked. */
  private record Prepared(
      Delta delta, byte[] serialized, EntryPlan plan, long storedBytes, List<TimerWrite> timers) {}

  /** A timer to schedule ({@code message} not null) or cancel. */
  private record TimerWrite(String name, long fireAtMillis, byte[] message) {}

  /** Applies {@code command}; its delta, if any, is to be written at {@code delta}. */
  Outcome apply(DocKey key, Command command, long ts, DeltaLocation delta) {
    String doc = key.toString();
    String id = command.id();
    String actor = command.actor();
    boolean fromTimer = TIMER_ACTOR.equals(actor);
    if (id != null && id.startsWith(Timers.ID_PREFIX) && !fromTimer) {
      return rejected(
          id,
          actor,
          new DocstreamException(
              ErrorCode.MESSAGE_ID_RESERVED,
              "ids starting with " + Timers.ID_PREFIX + " are reserved for timers"),
          ts);
    }
    if (id != null) {
      OptionalLong seq = state.dedupe().appliedAt(doc, actor, id);
      if (seq.isPresent()) {
        return new Outcome.Rejected(
            new Rejection(
                id,
                ErrorCode.DUPLICATE.code(),
                "message " + id + " was already applied at seq " + seq.getAsLong(),
                ts,
                seq.getAsLong(),
                actor));
      }
    }
    String timerName = fromTimer ? Timers.nameOf(id) : null;
    if (timerName != null) {
      Timers.Fired fired = state.timers().fired(doc, timerName);
      if (fired != null && !(fired.current() && fired.id().equals(id))) {
        if (fired.id().equals(id)) {
          state.timers().forgetFired(doc, timerName);
        }
        return rejected(
            id,
            actor,
            new DocstreamException(
                ErrorCode.TIMER_STALE,
                "timer " + timerName + " was cancelled or replaced after it fired"),
            ts);
      }
    }
    Space space =
        spaces
            .find(key.space())
            .orElseThrow(
                () ->
                    new DocstreamException(
                        ErrorCode.SPACE_UNKNOWN, "no space named " + key.space()));
    DocumentCache.Entry entry = state.open(doc);
    boolean cacheMatchesStores = false;
    try {
      Outcome outcome = applyOpen(key, command, ts, delta, space, entry, timerName);
      cacheMatchesStores = true;
      return outcome;
    } finally {
      if (!cacheMatchesStores) {
        state.cache().invalidate(doc);
      }
    }
  }

  private Outcome applyOpen(
      DocKey key,
      Command command,
      long ts,
      DeltaLocation location,
      Space space,
      DocumentCache.Entry entry,
      String timerName) {
    String doc = key.toString();
    String id = command.id();
    String actor = command.actor();
    long seq = entry.meta().seq() + 1;
    TrackedDocument document = new TrackedDocument(entry.root());
    Invocation invocation =
        new Invocation(
            key, command.body(), actor, ts, id, seed(doc, seq, id, ts), TIMER_ACTOR.equals(actor));
    try {
      space.logic().apply(invocation, document);
    } catch (DocstreamException e) {
      document.rollback();
      return rejected(id, actor, e, ts);
    } catch (RuntimeException | StackOverflowError e) {
      document.rollback();
      LOG.warn("logic of space {} threw on {} message {}", key.space(), doc, id, e);
      return rejected(
          id,
          actor,
          new DocstreamException(ErrorCode.LOGIC_FAILED, "logic failed: " + e.getClass().getName()),
          ts);
    }
    Prepared prepared;
    try {
      prepared = prepare(doc, command, ts, seq, document, invocation, entry);
    } catch (DocstreamException e) {
      state.cache().invalidate(doc);
      return rejected(id, actor, e.code() == ErrorCode.INTERNAL.code() ? notStorable(e) : e, ts);
    } catch (KafkaException e) {
      throw e; // a store failed: not about this message; the task fails and its state is restored
    } catch (RuntimeException | StackOverflowError e) {
      state.cache().invalidate(doc);
      LOG.warn("committing {} message {} failed", doc, id, e);
      return rejected(id, actor, notStorable(e), ts);
    }
    if (timerName != null) {
      state.timers().forgetFired(doc, timerName);
    }
    for (TimerWrite timer : prepared.timers()) {
      if (timer.message() == null) {
        state.timers().cancel(doc, timer.name());
      } else {
        state.timers().schedule(doc, timer.name(), timer.fireAtMillis(), timer.message());
      }
    }
    state.commit(doc, prepared.plan(), seq, ts, actor, location, prepared.delta().ids());
    return new Outcome.Applied(prepared.delta(), prepared.serialized(), prepared.storedBytes());
  }

  /**
   * Everything a commit needs, without writing any store. The cached root already holds the change
   * (the caller drops it from the cache if this throws).
   */
  private Prepared prepare(
      String doc,
      Command command,
      long ts,
      long seq,
      TrackedDocument document,
      Invocation invocation,
      DocumentCache.Entry entry) {
    ObjectNode patch = document.commit();
    if (depth(patch, StateLimits.MAX_DOCUMENT_DEPTH) > StateLimits.MAX_DOCUMENT_DEPTH) {
      throw new DocstreamException(
          ErrorCode.DOCUMENT_TOO_DEEP,
          "message would nest the document more than "
              + StateLimits.MAX_DOCUMENT_DEPTH
              + " levels deep");
    }
    EntryPlan plan = state.plan(doc, patch);
    long storedBytes = entry.meta().storedBytes() + plan.storedBytesChange();
    if (storedBytes > state.limits().maxDocumentBytes()) {
      throw tooLarge(ErrorCode.DOCUMENT_TOO_LARGE, storedBytes + " stored bytes");
    }
    List<String> ids = command.id() == null ? List.of() : List.of(command.id());
    Delta delta =
        new Delta(
            seq,
            patch,
            ids,
            ts,
            command.actor(),
            ContentHash.hex(entry.meta().hash() + plan.hashChange()));
    byte[] serialized = DeltaJson.bytes(delta);
    if (serialized.length > maxDeltaBytes) {
      throw tooLarge(ErrorCode.DELTA_TOO_LARGE, serialized.length + " bytes of delta");
    }
    List<TimerWrite> timers = new ArrayList<>();
    for (TimerRequest request : invocation.timerRequests()) {
      if (request instanceof TimerRequest.Schedule s) {
        Command message =
            new Command(
                Timers.ID_PREFIX + s.name() + ":" + s.fireAtMillis() + ":" + seq,
                s.body(),
                TIMER_ACTOR,
                s.fireAtMillis(),
                null);
        timers.add(new TimerWrite(s.name(), s.fireAtMillis(), Json.bytes(message)));
      } else {
        timers.add(new TimerWrite(request.name(), 0, null));
      }
    }
    return new Prepared(delta, serialized, plan, storedBytes, timers);
  }

  /** Names only the exception's class: its message may hold internals a client must not see. */
  private static DocstreamException notStorable(Throwable cause) {
    Throwable named =
        cause instanceof DocstreamException && cause.getCause() != null ? cause.getCause() : cause;
    return new DocstreamException(
        ErrorCode.CHANGE_NOT_STORABLE,
        "the change could not be committed: " + named.getClass().getSimpleName(),
        cause);
  }

  private static DocstreamException tooLarge(ErrorCode code, String size) {
    return new DocstreamException(code, "message would make " + size);
  }

  /**
   * How deeply objects and arrays nest in {@code node} (a scalar is 0, {@code {}} is 1), counted no
   * further than {@code limit + 1}. Costs the size of the node, at most {@code limit + 1} frames.
   */
  static int depth(JsonNode node, int limit) {
    if (!node.isContainerNode()) {
      return 0;
    }
    int deepest = 0;
    if (limit > 0) {
      for (JsonNode child : node) {
        deepest = Math.max(deepest, depth(child, limit - 1));
        if (deepest >= limit) {
          break;
        }
      }
    }
    return deepest + 1;
  }

  private static Outcome rejected(String id, String actor, DocstreamException e, long ts) {
    return new Outcome.Rejected(Rejection.of(id, actor, e, ts));
  }

  /** Deterministic: the same message at the same seq always draws the same numbers. */
  static long seed(String doc, long seq, String id, long ts) {
    long h = doc.hashCode();
    h = h * 0x9E3779B97F4A7C15L + seq;
    h = h * 0x9E3779B97F4A7C15L + (id == null ? 0 : id.hashCode());
    return h * 0x9E3779B97F4A7C15L + ts;
  }
}
