package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.Pointer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One field that only the viewers a document lists may see: {@code readers.<path>=<list>}. The list
 * is an object whose member names are viewer ids, or an array of viewer-id strings; anything else
 * lists nobody. Both are concrete JSON Pointers (no {@code *}, no {@code {viewer}}).
 */
final class ReaderRule {
  final String pointer;
  final List<String> path;
  final List<String> list;

  private ReaderRule(String pointer, List<String> path, List<String> list) {
    this.pointer = pointer;
    this.path = path;
    this.list = list;
  }

  /**
   * @throws DocstreamException with {@link ErrorCode#CONFIG_INVALID} for a malformed pointer
   */
  static ReaderRule compile(String path, String list) {
    return new ReaderRule(path, segments(path), segments(list));
  }

  private static List<String> segments(String pointer) {
    List<String> segments;
    try {
      segments = Pointer.parse(pointer);
    } catch (DocstreamException e) {
      throw new DocstreamException(ErrorCode.CONFIG_INVALID, e.getMessage());
    }
    if (segments.isEmpty()
        || segments.contains(ViewFilter.ANY)
        || segments.contains(ViewFilter.VIEWER)) {
      throw new DocstreamException(
          ErrorCode.CONFIG_INVALID,
          "readers pointer '" + pointer + "' must name one field below / (no * or {viewer})");
    }
    return segments;
  }

  /** True when one of the two paths lies inside the other (or they are equal). */
  boolean overlaps(ReaderRule other) {
    int common = Math.min(path.size(), other.path.size());
    return path.subList(0, common).equals(other.path.subList(0, common));
  }

  /** The viewer ids {@code doc} lists for this field. */
  Set<String> listed(ObjectNode doc) {
    JsonNode node = at(doc, list);
    Set<String> ids = new HashSet<>();
    if (node instanceof ObjectNode object) {
      object.fieldNames().forEachRemaining(ids::add);
    } else if (node != null && node.isArray()) {
      node.forEach(element -> ids.add(element.isTextual() ? element.textValue() : null));
      ids.remove(null);
    }
    return ids;
  }

  /** True when applying {@code patch} may change who is listed. */
  boolean touchesList(ObjectNode patch) {
    JsonNode node = patch;
    for (String segment : list) {
      if (!(node instanceof ObjectNode object)) {
        return true;
      }
      node = object.get(segment);
      if (node == null) {
        return false;
      }
    }
    return true;
  }

  /** The field's value in {@code doc}, or null when absent. */
  JsonNode value(ObjectNode doc) {
    return at(doc, path);
  }

  private static JsonNode at(JsonNode doc, List<String> segments) {
    JsonNode node = doc;
    for (String segment : segments) {
      if (!(node instanceof ObjectNode object)) {
        return null;
      }
      node = object.get(segment);
    }
    return node;
  }

  /** {@code patch} without anything it says about the field; the input is not modified. */
  ObjectNode remove(ObjectNode patch) {
    return (ObjectNode) remove(patch, 0);
  }

  private JsonNode remove(JsonNode node, int depth) {
    if (!(node instanceof ObjectNode object) || !object.has(path.get(depth))) {
      return node;
    }
    String name = path.get(depth);
    ObjectNode copy = shallowCopy(object);
    if (depth == path.size() - 1) {
      copy.remove(name);
    } else {
      copy.set(name, remove(object.get(name), depth + 1));
    }
    return copy;
  }

  /**
   * {@code patch} setting the field to {@code value}, creating the objects on the way; unchanged
   * when the patch replaces one of them with a non-object, which already removes the field.
   */
  ObjectNode put(ObjectNode patch, JsonNode value) {
    return (ObjectNode) put(patch, 0, value);
  }

  private JsonNode put(JsonNode node, int depth, JsonNode value) {
    if (!(node instanceof ObjectNode object)) {
      return node;
    }
    String name = path.get(depth);
    JsonNode child =
        depth == path.size() - 1 ? value : put(childObject(object, name), depth + 1, value);
    ObjectNode copy = shallowCopy(object);
    copy.set(name, child);
    return copy;
  }

  private static JsonNode childObject(ObjectNode object, String name) {
    JsonNode child = object.get(name);
    return child == null ? Json.object() : child;
  }

  private static ObjectNode shallowCopy(ObjectNode object) {
    ObjectNode copy = Json.object();
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      copy.set(member.getKey(), member.getValue());
    }
    return copy;
  }
}
