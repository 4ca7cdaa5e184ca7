package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One validated operation of an RFC 6902 JSON Patch; members it does not know are ignored. */
record JsonPatchOperation(Op op, List<String> path, List<String> from, JsonNode value) {
  enum Op {
    ADD,
    REMOVE,
    REPLACE,
    MOVE,
    COPY,
    TEST
  }

  /** Validates every operation of {@code patch} before any is applied. */
  static List<JsonPatchOperation> parseAll(JsonNode patch) {
    if (patch == null || !patch.isArray()) {
      throw invalid("a JSON Patch must be an array of operations");
    }
    List<JsonPatchOperation> operations = new ArrayList<>(patch.size());
    for (JsonNode operation : patch) {
      operations.add(parse(operation));
    }
    return operations;
  }

  private static JsonPatchOperation parse(JsonNode operation) {
    if (!operation.isObject()) {
      throw invalid("an operation must be an object: " + operation);
    }
    Op op = op(operation);
    List<String> path = pointer(operation, "path");
    List<String> from = op == Op.MOVE || op == Op.COPY ? pointer(operation, "from") : List.of();
    JsonNode value = operation.get("value");
    if (value == null && (op == Op.ADD || op == Op.REPLACE || op == Op.TEST)) {
      throw invalid("'" + op.name().toLowerCase(Locale.ROOT) + "' needs a value");
    }
    if (path.isEmpty() && op != Op.TEST) {
      throw invalid("only 'test' may name the root path");
    }
    if (op == Op.MOVE && from.size() < path.size() && path.subList(0, from.size()).equals(from)) {
      throw invalid("cannot move a value into itself");
    }
    return new JsonPatchOperation(op, path, from, value);
  }

  private static Op op(JsonNode operation) {
    JsonNode op = operation.get("op");
    if (op == null || !op.isTextual()) {
      throw invalid("an operation needs an 'op' string");
    }
    for (Op known : Op.values()) {
      if (known.name().toLowerCase(Locale.ROOT).equals(op.textValue())) {
        return known;
      }
    }
    throw invalid("unknown op '" + op.textValue() + "'");
  }

  private static List<String> pointer(JsonNode operation, String member) {
    JsonNode pointer = operation.get(member);
    if (pointer == null || !pointer.isTextual()) {
      throw invalid("an operation needs a '" + member + "' string");
    }
    try {
      return Pointer.parse(pointer.textValue());
    } catch (DocstreamException e) {
      throw new DocstreamException(ErrorCode.JSON_PATCH_INVALID, e.getMessage(), e);
    }
  }

  private static DocstreamException invalid(String message) {
    return new DocstreamException(ErrorCode.JSON_PATCH_INVALID, message);
  }
}
