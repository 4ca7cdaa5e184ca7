package io.docstream.topology.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.TrackedDocument;
import io.docstream.serdes.Command;
import io.docstream.serdes.Delta;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.Rejection;
import io.docstream.spaces.Invocation;
import io.docstream.spaces.Space;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.spaces.TimerRequest;
import io.docstream.state.DocumentCache;
import io.docstream.state.DocumentState;
import io.docstream.state.EntryPlan;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one message to its document: dedupe, logic on a change-tracking document, limits, and the
 * commit of content, meta, history, dedupe and timers. A message that is rejected, throws or breaks
 * a limit leaves every store and the cache as they were.
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

  Outcome apply(DocKey key, Command command, long ts) {
    String doc = key.toString();
    String id = command.id();
    if (id != null) {
      OptionalLong seq = state.dedupe().appliedAt(doc, id);
      if (seq.isPresent()) {
        return new Outcome.Rejected(
            new Rejection(
                id,
                ErrorCode.DUPLICATE.code(),
                "message " + id + " was already applied at seq " + seq.getAsLong(),
                ts,
                seq.getAsLong(),
                command.actor()));
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
    long seq = entry.meta().seq() + 1;
    TrackedDocument document = new TrackedDocument(entry.root());
    Invocation invocation =
        new Invocation(
            key,
            command.body(),
            command.actor(),
            ts,
            id,
            seed(doc, seq, id, ts),
            TIMER_ACTOR.equals(command.actor()));
    try {
      space.logic().apply(invocation, document);
    } catch (DocstreamException e) {
      document.rollback();
      return rejected(id, command.actor(), e, ts);
    } catch (RuntimeException | StackOverflowError e) {
      document.rollback();
      LOG.warn("logic of space {} threw on {} message {}", key.space(), doc, id, e);
      return rejected(
          id,
          command.actor(),
          new DocstreamException(ErrorCode.LOGIC_FAILED, "logic failed: " + e.getClass().getName()),
          ts);
    }
    ObjectNode patch = document.commit();
    List<String> ids = id == null ? List.of() : List.of(id);
    Delta delta = new Delta(seq, patch, ids, ts, command.actor(), null);
    byte[] serialized = Json.bytes(delta);
    if (serialized.length > maxDeltaBytes) {
      return undo(
          doc,
          id,
          command.actor(),
          ts,
          ErrorCode.DELTA_TOO_LARGE,
          serialized.length + " bytes of delta");
    }
    EntryPlan plan = state.plan(doc, patch);
    long storedBytes = entry.meta().storedBytes() + plan.storedBytesChange();
    if (storedBytes > state.limits().maxDocumentBytes()) {
      return undo(
          doc,
          id,
          command.actor(),
          ts,
          ErrorCode.DOCUMENT_TOO_LARGE,
          storedBytes + " stored bytes");
    }
    for (TimerRequest request : invocation.timerRequests()) {
      if (request instanceof TimerRequest.Schedule s) {
        Command message =
            new Command(
                "timer:" + s.name() + ":" + s.fireAtMillis() + ":" + seq,
                s.body(),
                TIMER_ACTOR,
                s.fireAtMillis(),
                null);
        state.timers().schedule(doc, s.name(), s.fireAtMillis(), Json.bytes(message));
      } else {
        state.timers().cancel(doc, request.name());
      }
    }
    state.commit(doc, plan, seq, serialized, ids);
    return new Outcome.Applied(delta, serialized, storedBytes);
  }

  /** The change is already committed in memory only: dropping the cached copy forgets it. */
  private Outcome undo(String doc, String id, String actor, long ts, ErrorCode code, String size) {
    state.cache().invalidate(doc);
    return rejected(id, actor, new DocstreamException(code, "message would make " + size), ts);
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
