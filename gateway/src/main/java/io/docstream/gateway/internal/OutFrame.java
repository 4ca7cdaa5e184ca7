package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;

/**
 * One text frame for a client, already serialized to UTF-8, so that one delta serialized once goes
 * to every connection of the same view without being encoded again. The bytes are never modified.
 *
 * @param kind what the frame is; snapshots and deltas of a document may be dropped for a slow
 *     client
 * @param doc the document the frame is about, or null
 * @param utf8 the JSON text in UTF-8
 * @param readNanos when the delta it carries left the upstream consumer ({@link System#nanoTime}),
 *     or 0 for a frame not made from a record just read
 */
public record OutFrame(Kind kind, String doc, byte[] utf8, long readNanos) {
  /** The frame types of protocol v1. */
  public enum Kind {
    SNAPSHOT,
    DELTA,
    ACK,
    REJECT,
    ERROR,
    PONG;

    /** Snapshots and deltas are document data, which a fresh snapshot can replace. */
    public boolean documentData() {
      return this == SNAPSHOT || this == DELTA;
    }
  }

  static OutFrame of(Kind kind, String doc, ObjectNode json) {
    return new OutFrame(kind, doc, Json.bytes(json), 0);
  }

  OutFrame withReadNanos(long nanos) {
    return new OutFrame(kind, doc, utf8, nanos);
  }

  /** The frame's size in bytes, as counted against a connection's backlog. */
  public int bytes() {
    return utf8.length;
  }

  public static OutFrame snapshot(String doc, long seq, JsonNode data, boolean reset) {
    ObjectNode f = Json.object().put("type", "snapshot").put("doc", doc).put("seq", seq);
    f.set("data", data);
    f.put("reset", reset);
    return of(Kind.SNAPSHOT, doc, f);
  }

  public static OutFrame delta(String doc, long seq, JsonNode patch) {
    ObjectNode f = Json.object().put("type", "delta").put("doc", doc).put("seq", seq);
    f.set("patch", patch);
    return of(Kind.DELTA, doc, f);
  }

  public static OutFrame ack(String id, String doc, long seq) {
    return of(
        Kind.ACK,
        doc,
        Json.object().put("type", "ack").put("id", id).put("doc", doc).put("seq", seq));
  }

  /** A reject for a send; the text of a code clients may not see is replaced by its description. */
  public static OutFrame reject(String id, String doc, int code, String error) {
    ErrorCode known = ErrorCode.of(code).orElse(null);
    ObjectNode f = Json.object().put("type", "reject").put("id", id).put("doc", doc);
    f.put("code", code);
    f.put("error", known != null && !known.clientVisible() ? known.description() : error);
    f.put("retry", known != null && known.retryable());
    return of(Kind.REJECT, doc, f);
  }

  public static OutFrame error(ErrorCode code, String error, String doc) {
    ObjectNode f = Json.object().put("type", "error").put("code", code.code());
    f.put("error", code.clientVisible() ? error : code.description());
    f.put("retry", code.retryable());
    if (doc != null) {
      f.put("doc", doc);
    }
    return of(Kind.ERROR, doc, f);
  }

  public static OutFrame pong() {
    return of(Kind.PONG, null, Json.object().put("type", "pong"));
  }
}
