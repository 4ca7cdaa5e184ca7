package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON trees: every object keeps its members sorted by name, so a tree serializes to the
 * same bytes however it was built. Objects outside arrays never hold null members (a merge patch
 * cannot express one, so a document has none). An array is a value that merge patches copy as
 * written (RFC 7396): inside it, null elements and null members of objects are kept.
 */
public final class Nodes {
  private static final Comparator<JsonNode> SAME_TEXT =
      (a, b) ->
          (a.isNumber() && b.isNumber() ? a.asText().equals(b.asText()) : a.equals(b)) ? 0 : 1;

  private Nodes() {}

  /** A new empty object whose members stay sorted. */
  public static ObjectNode object() {
    return new ObjectNode(Json.NODES, new TreeMap<>());
  }

  /**
   * A deep copy of {@code node} in which every object is sorted, and objects outside arrays have no
   * null members. Scalars are immutable and shared; JSON null stays null at the top and everything
   * inside arrays is kept.
   */
  public static JsonNode canonical(JsonNode node) {
    return copy(node, false);
  }

  private static JsonNode copy(JsonNode node, boolean insideArray) {
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object();
      for (Map.Entry<String, JsonNode> member : object.properties()) {
        if (insideArray || !member.getValue().isNull()) {
          copy.set(member.getKey(), copy(member.getValue(), insideArray));
        }
      }
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = Json.NODES.arrayNode(array.size());
      for (JsonNode element : array) {
        copy.add(copy(element, true));
      }
      return copy;
    }
    return node;
  }

  /**
   * Whether {@code a} and {@code b} serialize alike once canonical. Stricter than {@code equals},
   * which holds {@code 1.5} and {@code 1.50} equal: a delta must carry such a change for replicas
   * to keep the same bytes.
   */
  static boolean same(JsonNode a, JsonNode b) {
    return a == b || (a != null && b != null && a.equals(SAME_TEXT, b));
  }
}
