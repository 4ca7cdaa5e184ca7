package io.docstream.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed access to one scenario file's YAML nodes, failing with the file name and the place. */
record Fields(String file) {

  ScenarioFileException fail(String where, String reason) {
    return new ScenarioFileException(file + (where.isEmpty() ? "" : ": " + where) + ": " + reason);
  }

  void allowOnly(JsonNode node, String where, Set<String> allowed) {
    if (!node.isObject()) {
      throw fail(where, "must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw fail(
            where, "unknown field '" + field + "' (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  Iterable<Map.Entry<String, JsonNode>> mapping(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw fail("then." + field, "must be a mapping by document key");
    }
    return node.properties();
  }

  String requiredText(JsonNode node, String field, String where) {
    String text = optionalText(node, field, where);
    if (text == null) {
      throw fail(where, "needs " + field);
    }
    return text;
  }

  String optionalText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw fail(where, field + " must be a string (quote it)");
    }
    return value.textValue();
  }

  long requiredLong(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw fail(where, field + " must be an integer");
    }
    return value.longValue();
  }

  /** The node as the processor's strict JSON mapper would read it, so numbers compare alike. */
  static JsonNode canonical(JsonNode yaml) {
    return Json.parse(Json.bytes(yaml));
  }
}
