package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a transaction's undo log into its merge patch. Only the topmost changed paths are diffed,
 * each between its value before the transaction and now, so the work follows the size of what
 * changed and never the size of the document.
 */
final class Delta {
  private final List<Change> log;
  private final ObjectNode root;
  private final ObjectNode patch = Nodes.object();

  private Delta(List<Change> log, ObjectNode root) {
    this.log = log;
    this.root = root;
  }

  /** The canonical merge patch from the document before {@code log} to {@code root}. */
  static ObjectNode of(List<Change> log, ObjectNode root) {
    Delta delta = new Delta(log, root);
    Touched touched = new Touched();
    for (int i = 0; i < log.size(); i++) {
      touched.at(log.get(i).path()).changes.add(i);
    }
    delta.emit(touched, new ArrayList<>());
    return delta.patch;
  }

  private void emit(Touched touched, List<String> path) {
    if (touched.changes.isEmpty()) {
      for (Map.Entry<String, Touched> child : touched.children.entrySet()) {
        path.add(child.getKey());
        emit(child.getValue(), path);
        path.remove(path.size() - 1);
      }
      return;
    }
    JsonNode change = MergePatch.change(original(touched), Trees.get(root, path));
    if (change != null) {
      ObjectNode parent = patch;
      for (String segment : path.subList(0, path.size() - 1)) {
        ObjectNode child = (ObjectNode) parent.get(segment);
        if (child == null) {
          child = Nodes.object();
          parent.set(segment, child);
        }
        parent = child;
      }
      parent.set(path.get(path.size() - 1), change);
    }
  }

  /**
   * The value at a changed path before the transaction: what its first change replaced, with any
   * earlier changes below it undone on a copy of the objects they passed through.
   */
  private JsonNode original(Touched touched) {
    int first = touched.changes.get(0);
    JsonNode original = log.get(first).previous();
    List<Integer> earlier = new ArrayList<>();
    for (Touched child : touched.children.values()) {
      child.collectBefore(first, earlier);
    }
    if (earlier.isEmpty()) {
      return original;
    }
    earlier.sort(Collections.reverseOrder());
    int depth = log.get(first).path().size();
    Set<JsonNode> copies = Collections.newSetFromMap(new IdentityHashMap<>());
    ObjectNode copy = copyOf((ObjectNode) original, copies);
    for (int index : earlier) {
      Change change = log.get(index);
      List<String> below = change.path().subList(depth, change.path().size());
      ObjectNode parent = copy;
      for (String segment : below.subList(0, below.size() - 1)) {
        ObjectNode child = (ObjectNode) parent.get(segment);
        if (!copies.contains(child)) {
          child = copyOf(child, copies);
          parent.set(segment, child);
        }
        parent = child;
      }
      String name = below.get(below.size() - 1);
      if (change.previous() == null) {
        parent.remove(name);
      } else {
        parent.set(name, change.previous());
      }
    }
    return copy;
  }

  private static ObjectNode copyOf(ObjectNode object, Set<JsonNode> copies) {
    ObjectNode copy = Nodes.object();
    copy.setAll(object);
    copies.add(copy);
    return copy;
  }

  /** A trie of the changed paths, each node listing the log entries at exactly its path. */
  private static final class Touched {
    final Map<String, Touched> children = new TreeMap<>();
    final List<Integer> changes = new ArrayList<>();

    Touched at(List<String> path) {
      Touched node = this;
      for (String segment : path) {
        node = node.children.computeIfAbsent(segment, s -> new Touched());
      }
      return node;
    }

    void collectBefore(int limit, List<Integer> into) {
      for (int index : changes) {
        if (index < limit) {
          into.add(index);
        }
      }
      for (Touched child : children.values()) {
        child.collectBefore(limit, into);
      }
    }
  }
}
