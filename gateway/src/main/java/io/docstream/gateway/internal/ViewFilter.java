package io.docstream.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
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
import java.util.Set;

/**
 * A space's visibility rules. Path rules ({@code hidden}, {@code owned}) are compiled into a trie
 * over object member names; filtering removes the members a viewer may not see from a document or
 * from a merge patch. Because path rules depend only on the path and the viewer, filtering by them
 * commutes with applying patches. Reader rules ({@link ReaderRule}) depend on the document too: a
 * delta that changes who is listed for a field gives a viewer who loses the field {@code null} for
 * it, and one who gains it the whole current value, so that for every viewer {@code filter(after)
 * == apply(filter(before), filterDelta(patch))}. Rules look into objects only; arrays and scalars
 * are atomic, as they are for merge patches.
 */
public final class ViewFilter {
  static final String VIEWER = "{viewer}";
  static final String ANY = "*";

  private final Node root;
  private final List<ReaderRule> readers;

  private ViewFilter(Node root, List<ReaderRule> readers) {
    this.root = root;
    this.readers = readers;
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
    List<ReaderRule> readers = new ArrayList<>();
    policy
        .readers()
        .forEach(
            (path, list) -> {
              ReaderRule rule = ReaderRule.compile(path, list);
              for (ReaderRule other : readers) {
                if (rule.overlaps(other)) {
                  throw new DocstreamException(
                      ErrorCode.CONFIG_INVALID,
                      "readers paths " + other.pointer + " and " + path + " overlap");
                }
              }
              readers.add(rule);
            });
    return new ViewFilter(root, List.copyOf(readers));
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
    return root.children.isEmpty() && readers.isEmpty();
  }

  /**
   * {@code doc} without the members {@code viewer} may not see; {@code doc} itself when it holds
   * none. The input is never modified; unchanged subtrees are shared.
   */
  public ObjectNode filter(ObjectNode doc, Viewer viewer) {
    ObjectNode out = filterPaths(doc, viewer);
    for (ReaderRule rule : readers) {
      if (!rule.listed(doc).contains(viewer.id())) {
        out = rule.remove(out);
      }
    }
    return out;
  }

  /**
   * What {@code viewer} gets of {@code patch}, which took the document from the state {@code
   * before} describes to {@code after}, described by {@code afterAccess}.
   */
  public ObjectNode filterDelta(
      ObjectNode patch, Viewer viewer, Access before, Access afterAccess, ObjectNode after) {
    ObjectNode out = filterPaths(patch, viewer);
    for (int i = 0; i < readers.size(); i++) {
      ReaderRule rule = readers.get(i);
      boolean was = before.listed.get(i).contains(viewer.id());
      boolean is = afterAccess.listed.get(i).contains(viewer.id());
      if (was && is) {
        continue;
      }
      out = rule.remove(out);
      if (was && before.present.get(i) && visible(rule.path, viewer.id())) {
        out = rule.put(out, NullNode.getInstance());
      } else if (is) {
        JsonNode value = rule.value(after);
        JsonNode visible = value == null ? null : filterAt(value, rule.path, viewer.id());
        if (visible != null) {
          out = rule.put(out, visible);
        }
      }
    }
    return out;
  }

  /** True when applying {@code patch} may change who sees what: it touches a readers list. */
  public boolean changesAccess(ObjectNode patch) {
    for (ReaderRule rule : readers) {
      if (rule.touchesList(patch)) {
        return true;
      }
    }
    return false;
  }

  /** Who {@code doc} lists for each readers rule, and which of their fields it holds. */
  public Access access(ObjectNode doc) {
    List<Set<String>> listed = new ArrayList<>(readers.size());
    List<Boolean> present = new ArrayList<>(readers.size());
    for (ReaderRule rule : readers) {
      listed.add(rule.listed(doc));
      present.add(rule.value(doc) != null);
    }
    return new Access(listed, present);
  }

  /**
   * A document's readers lists at one seq, kept apart from the document, which changes in place.
   */
  public static final class Access {
    private final List<Set<String>> listed;
    private final List<Boolean> present;

    private Access(List<Set<String>> listed, List<Boolean> present) {
      this.listed = listed;
      this.present = present;
    }
  }

  private ObjectNode filterPaths(ObjectNode value, Viewer viewer) {
    if (root.children.isEmpty()) {
      return value;
    }
    return (ObjectNode) filter(value, List.of(new State(root, false)), viewer.id());
  }

  /** {@code value}, found at {@code path}, as {@code viewer} may see it; null when not at all. */
  private JsonNode filterAt(JsonNode value, List<String> path, String viewer) {
    List<State> states = statesAt(path, viewer);
    return states == null ? null : filter(value, states, viewer);
  }

  private boolean visible(List<String> path, String viewer) {
    return statesAt(path, viewer) != null;
  }

  /** The trie states below {@code path} for {@code viewer}; null when the path is invisible. */
  private List<State> statesAt(List<String> path, String viewer) {
    List<State> states = List.of(new State(root, false));
    for (String name : path) {
      List<State> next = new ArrayList<>(2);
      if (step(states, name, viewer, next)) {
        return null;
      }
      states = next;
    }
    return states;
  }

  private static JsonNode filter(JsonNode value, List<State> states, String viewer) {
    if (!(value instanceof ObjectNode object) || states.isEmpty()) {
      return value;
    }
    ObjectNode copy = null;
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      String name = member.getKey();
      List<State> next = new ArrayList<>(2);
      boolean drop = step(states, name, viewer, next);
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

  /** Adds the states reached through member {@code name} to {@code next}; true when invisible. */
  private static boolean step(List<State> states, String name, String viewer, List<State> next) {
    boolean drop = false;
    for (State state : states) {
      drop |= state.step(state.node.children.get(name), false, next);
      drop |= state.step(state.node.children.get(ANY), false, next);
      drop |= state.step(state.node.children.get(VIEWER), !name.equals(viewer), next);
    }
    return drop;
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
