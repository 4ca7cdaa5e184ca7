package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.List;

/** Reading and writing canonical trees by path segments. */
final class Trees {
  private Trees() {}

  /** The node at {@code path} below {@code node}, or null when absent. */
  static JsonNode get(JsonNode node, List<String> path) {
    for (String segment : path) {
      if (node instanceof ObjectNode object) {
        node = object.get(segment);
      } else if (node instanceof ArrayNode array) {
        int index = Pointer.index(segment);
        node = index >= 0 && index < array.size() ? array.get(index) : null;
      } else {
        return null;
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** The object at {@code path} when every node on the way is an object, otherwise null. */
  static ObjectNode objectAt(ObjectNode root, List<String> path) {
    ObjectNode object = root;
    for (String segment : path) {
      if (!(object.get(segment) instanceof ObjectNode child)) {
        return null;
      }
      object = child;
    }
    return object;
  }

  /** {@code value} wrapped in new objects, one per segment of {@code path}. */
  static JsonNode nest(List<String> path, JsonNode value) {
    for (int i = path.size() - 1; i >= 0; i--) {
      ObjectNode parent = Nodes.object();
      parent.set(path.get(i), value);
      value = parent;
    }
    return value;
  }

  /**
   * Writes {@code value} (null removes) at the non-empty {@code path} below {@code container},
   * which must be owned by the caller since it is modified in place. Missing or scalar parents
   * become objects; in arrays a segment must be an index in range or {@code "-"} for a new last
   * element.
   *
   * @return false when a removal found nothing to remove
   */
  static boolean writeOwned(JsonNode container, List<String> path, JsonNode value) {
    String segment = path.get(0);
    List<String> rest = path.subList(1, path.size());
    if (container instanceof ObjectNode object) {
      JsonNode child = object.get(segment);
      if (!rest.isEmpty() && child != null && child.isContainerNode()) {
        return writeOwned(child, rest, value);
      }
      if (value == null) {
        return rest.isEmpty() && object.remove(segment) != null;
      }
      object.set(segment, nest(rest, value));
      return true;
    }
    ArrayNode array = (ArrayNode) container;
    if ("-".equals(segment)) {
      if (value == null) {
        return false;
      }
      array.add(nest(rest, value));
      return true;
    }
    int index = Pointer.index(segment);
    if (index < 0 || index >= array.size()) {
      throw new DocstreamException(
          ErrorCode.PATH_INVALID,
          "array index '" + segment + "' out of range for size " + array.size());
    }
    JsonNode child = array.get(index);
    if (!rest.isEmpty() && child.isContainerNode()) {
      return writeOwned(child, rest, value);
    }
    if (value == null) {
      if (rest.isEmpty()) {
        array.remove(index);
      }
      return rest.isEmpty();
    }
    array.set(index, nest(rest, value));
    return true;
  }
}
