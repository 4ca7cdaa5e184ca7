package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link Document} that records its changes in transactions. {@link #commit()} returns what the
 * transaction changed as a merge patch and {@link #rollback()} undoes it exactly.
 *
 * <p>Every operation, commit and rollback costs O(path depth + size of the values written or
 * replaced), never O(document size): writes keep an undo log of the replaced nodes (detached and
 * never modified again), and commit diffs only the topmost changed paths.
 *
 * <p>Arrays are values: writing into one ({@code /list/2}, or {@code /list/-} to append) copies the
 * array and replaces it whole, and a segment into an array must be an index in range or {@code -},
 * else {@code PATH_INVALID}. Removing an array element shifts the ones after it.
 *
 * <p>Not thread-safe.
 */
public final class TrackedDocument implements Document {
  private final ObjectNode root;
  private final List<Change> log = new ArrayList<>();

  /**
   * Wraps {@code root}, which the document then owns. It must be canonical ({@link
   * Nodes#canonical}) for commits to be minimal and rollbacks to restore the same bytes.
   */
  public TrackedDocument(ObjectNode root) {
    this.root = root;
  }

  @Override
  public JsonNode get(String pointer) {
    return Trees.get(root, Pointer.parse(pointer));
  }

  @Override
  public void set(String pointer, JsonNode value) {
    List<String> path = memberPath(pointer);
    if (value == null || value.isNull() || value.isMissingNode()) {
      remove(path);
    } else {
      write(path, Nodes.canonical(value));
    }
  }

  @Override
  public void remove(String pointer) {
    remove(memberPath(pointer));
  }

  /**
   * {@inheritDoc}
   *
   * @throws DocstreamException with {@code PATCH_NOT_OBJECT} when merging a non-object at the root
   */
  @Override
  public void merge(String pointer, JsonNode patch) {
    List<String> path = Pointer.parse(pointer);
    if (!(patch instanceof ObjectNode members)) {
      if (path.isEmpty()) {
        throw new DocstreamException(
            ErrorCode.PATCH_NOT_OBJECT, "a merge patch for the whole document must be an object");
      }
      set(pointer, patch);
      return;
    }
    ObjectNode target = Trees.objectAt(root, path);
    if (target != null) {
      mergeInto(new ArrayList<>(path), target, members);
    } else {
      JsonNode current = Trees.get(root, path);
      write(path, MergePatch.apply(current == null ? null : Nodes.canonical(current), members));
    }
  }

  @Override
  public ObjectNode root() {
    return root;
  }

  /** Whether anything was written since the last commit or rollback. */
  public boolean dirty() {
    return !log.isEmpty();
  }

  /**
   * Ends the transaction and returns its changes as a canonical merge patch, {@code {}} when the
   * document is as it was (even if values were changed and changed back). The patch shares no nodes
   * with the document.
   */
  public ObjectNode commit() {
    ObjectNode delta = Delta.of(log, root);
    log.clear();
    return delta;
  }

  /** Ends the transaction by restoring the document exactly as of the last commit. */
  public void rollback() {
    for (int i = log.size() - 1; i >= 0; i--) {
      Change change = log.get(i);
      List<String> path = change.path();
      ObjectNode parent = (ObjectNode) Trees.get(root, path.subList(0, path.size() - 1));
      put(parent, path.get(path.size() - 1), change.previous());
    }
    log.clear();
  }

  private static List<String> memberPath(String pointer) {
    List<String> path = Pointer.parse(pointer);
    if (path.isEmpty()) {
      throw new DocstreamException(
          ErrorCode.PATH_INVALID, "the root cannot be set or removed, only merged");
    }
    return path;
  }

  private void remove(List<String> path) {
    if (Trees.get(root, path) != null) {
      write(path, null);
    }
  }

  /**
   * Writes an owned {@code value} (null removes) at {@code path}: walks down objects and replaces
   * the first node that is not one (a whole array, a scalar or a missing member) or the target.
   */
  private void write(List<String> path, JsonNode value) {
    ObjectNode parent = root;
    for (int depth = 0; depth < path.size(); depth++) {
      String name = path.get(depth);
      JsonNode child = parent.get(name);
      List<String> rest = path.subList(depth + 1, path.size());
      if (rest.isEmpty()) {
        replace(parent, path, value);
        return;
      }
      if (child instanceof ObjectNode object) {
        parent = object;
      } else if (child instanceof ArrayNode array) {
        ArrayNode copy = (ArrayNode) Nodes.canonical(array);
        if (Trees.writeOwned(copy, rest, value)) {
          replace(parent, path.subList(0, depth + 1), copy);
        }
        return;
      } else {
        if (value != null) {
          replace(parent, path.subList(0, depth + 1), Trees.nest(rest, value));
        }
        return;
      }
    }
  }

  private void mergeInto(List<String> path, ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      String name = member.getKey();
      JsonNode value = member.getValue();
      JsonNode current = target.get(name);
      path.add(name);
      if (value.isNull()) {
        if (current != null) {
          replace(target, path, null);
        }
      } else if (value instanceof ObjectNode members && current instanceof ObjectNode object) {
        mergeInto(path, object, members);
      } else {
        replace(target, path, Nodes.canonical(value));
      }
      path.remove(path.size() - 1);
    }
  }

  private void replace(ObjectNode parent, List<String> path, JsonNode value) {
    String name = path.get(path.size() - 1);
    log.add(new Change(List.copyOf(path), parent.get(name)));
    put(parent, name, value);
  }

  private static void put(ObjectNode parent, String name, JsonNode value) {
    if (value == null) {
      parent.remove(name);
    } else {
      parent.set(name, value);
    }
  }
}
