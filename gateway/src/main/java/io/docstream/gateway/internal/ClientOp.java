package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.CommandCodec;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** A client frame of protocol v1, parsed strictly. */
public sealed interface ClientOp {
  record Sub(DocKey doc, Long since) implements ClientOp {}

  record Unsub(DocKey doc) implements ClientOp {}

  record Send(DocKey doc, String id, JsonNode body) implements ClientOp {}

  record Ping() implements ClientOp {}

  /**
   * Parses one text frame.
   *
   * @throws DocstreamException with {@link ErrorCode#PROTOCOL_VIOLATION} for anything that is not a
   *     well-formed op (the connection is then closed), or {@link ErrorCode#DOC_KEY_INVALID} for a
   *     bad document key (answered, the connection stays)
   */
  static ClientOp parse(String text) {
    JsonNode root;
    try {
      root = Json.parse(text);
    } catch (DocstreamException e) {
      throw violation("frame is not JSON: " + e.getMessage());
    }
    if (!root.isObject()) {
      throw violation("frame must be a JSON object");
    }
    String op = text(root, "op");
    if (op == null) {
      throw violation("frame needs an op");
    }
    switch (op) {
      case "ping" -> {
        fields(root, Set.of("op"));
        return new Ping();
      }
      case "sub" -> {
        fields(root, Set.of("op", "doc", "since"));
        JsonNode since = root.get("since");
        if (since != null
            && !since.isNull()
            && (!since.canConvertToExactIntegral()
                || !since.canConvertToLong()
                || since.longValue() < 0)) {
          throw violation("since must be a non-negative integer");
        }
        Long after = since == null || since.isNull() ? null : since.longValue();
        return new Sub(doc(root), after);
      }
      case "unsub" -> {
        fields(root, Set.of("op", "doc"));
        return new Unsub(doc(root));
      }
      case "send" -> {
        fields(root, Set.of("op", "doc", "id", "body"));
        String id = text(root, "id");
        if (id == null || id.isEmpty() || id.length() > CommandCodec.MAX_ID_CHARS) {
          throw violation("send needs an id of 1 to " + CommandCodec.MAX_ID_CHARS + " characters");
        }
        JsonNode body = root.get("body");
        if (body == null || body.isNull()) {
          throw violation("send needs a body");
        }
        return new Send(doc(root), id, body);
      }
      default -> throw violation("unknown op '" + abbreviate(op) + "'");
    }
  }

  private static DocKey doc(JsonNode root) {
    String doc = text(root, "doc");
    if (doc == null) {
      throw violation("op needs a doc");
    }
    return DocKey.parse(doc);
  }

  private static String text(JsonNode root, String field) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw violation(field + " must be a string");
    }
    return v.textValue();
  }

  private static void fields(JsonNode root, Set<String> allowed) {
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!allowed.contains(name)) {
        throw violation("unknown field '" + abbreviate(name) + "' (allowed: " + allowed + ")");
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static DocstreamException violation(String message) {
    return new DocstreamException(ErrorCode.PROTOCOL_VIOLATION, message);
  }
}
