package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.gateway.SpacePolicy;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A space's visibility rules compiled into a trie over object member names. Filtering removes the
 * members a viewer may not see from a document or from a merge patch; because the rules depend only
 * on the path and the viewer, filtering commutes with applying patches: {@code filter(apply(doc,
 * patch)) == apply(filter(doc), filter(patch))}. Rules look into objects only; arrays and scalars
 * are atomic, as they are for merge patches.
 */
public final class ViewFilter {
  static final String VIEWER = "{viewer}";
  static final String ANY = "*";

  private final Node root;

  private ViewFilter(Node root) {
    this.root = root;
  }

  /**
   * Compiles the rules of {@code policy}.
   *
   * @throws DocstreamException with {@link ErrorCode#CONFIG_INVALID} for a malformed path
   */
  public static ViewFilter compile(SpacePolicy policy) {
    Node root = new Node();
    for (String path : policy.hidden()) {
      List<String> segments = segments(path);
      if (segments.contains(VIEWER)) {
        throw new DocstreamException(
            ErrorCode.CONFIG_INVALID, "hidden path " + path + " may not contain " + VIEWER);
      }
      root.add(segments, 0).hidden = true;
    }
    for (String path : policy.owned()) {
      List<String> segments = segments(path);
      if (!segments.contains(VIEWER)) {
        throw new DocstreamException(
            ErrorCode.CONFIG_INVALID, "owned path " + path + " must contain " + VIEWER);
      }
      root.add(segments, 0).owned = true;
    }
    return new ViewFilter(root);
  }

  private static List<String> segments(String path) {
    if (!path.startsWith("/") || path.length() < 2) {
      throw new DocstreamException(
          ErrorCode.CONFIG_INVALID, "view path '" + path + "' must be a JSON Pointer below /");
    }
    List<String> out = new ArrayList<>();
    for (String raw : path.substring(1).split("/", -1)) {
      if (raw.isEmpty()) {
        throw new DocstreamException(
            ErrorCode.CONFIG_INVALID, "view path '" + path + "' has an empty segment");
      }
      out.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /** True when the space hides nothing, so every viewer gets the same frames. */
  public boolean trivial() {
    return root.children.isEmpty();
  }

  /**
   * {@code value} without the members {@code viewer} may not see; {@code value} itself when it
   * holds none. The input is never modified; unchanged subtrees are shared.
   */
  public ObjectNode filter(ObjectNode value, Viewer viewer) {
    if (trivial()) {
      return value;
    }
    return (ObjectNode) filter(value, List.of(new State(root, false)), viewer.id());
  }

  private static JsonNode filter(JsonNode value, List<State> states, String viewer) {
    if (!(value instanceof ObjectNode object) || states.isEmpty()) {
      return value;
    }
    ObjectNode copy = null;
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      String name = member.getKey();
      List<State> next = new ArrayList<>(2);
      boolean drop = false;
      for (State state : states) {
        drop |= state.step(state.node.children.get(name), false, next);
        drop |= state.step(state.node.children.get(ANY), false, next);
        drop |= state.step(state.node.children.get(VIEWER), !name.equals(viewer), next);
      }
      JsonNode kept = drop ? null : filter(member.getValue(), next, viewer);
      if (kept != member.getValue() && copy == null) {
        copy = Json.object();
        for (Map.Entry<String, JsonNode> before : object.properties()) {
          if (before.getKey().equals(name)) {
            break;
          }
          copy.set(before.getKey(), before.getValue());
        }
      }
      if (copy != null && kept != null) {
        copy.set(name, kept);
      }
    }
    return copy != null ? copy : object;
  }

  private record State(Node node, boolean foreign) {
    /** Adds the state reached through {@code child}; returns true when the member is invisible. */
    boolean step(Node child, boolean mismatch, List<State> next) {
      if (child == null) {
        return false;
      }
      boolean nowForeign = foreign || mismatch;
      if (child.hidden || (child.owned && nowForeign)) {
        return true;
      }
      if (!child.children.isEmpty()) {
        next.add(new State(child, nowForeign));
      }
      return false;
    }
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    boolean hidden;
    boolean owned;

    Node add(List<String> segments, int from) {
      if (from == segments.size()) {
        return this;
      }
      return children.computeIfAbsent(segments.get(from), s -> new Node()).add(segments, from + 1);
    }
  }
}
