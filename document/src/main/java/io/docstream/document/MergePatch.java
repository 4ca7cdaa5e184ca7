package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** RFC 7396 JSON merge patches: applying them and computing them from two documents. */
public final class MergePatch {
  private MergePatch() {}

  /**
   * Applies {@code patch} to {@code target} and returns the result. When both are objects the
   * target is modified in place and returned; otherwise the result is a new canonical value ({@code
   * target} may be null for "absent"). Values taken from the patch are canonical copies.
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!(patch instanceof ObjectNode members)) {
      return Nodes.canonical(patch);
    }
    ObjectNode result = target instanceof ObjectNode object ? object : Nodes.object();
    for (Map.Entry<String, JsonNode> member : members.properties()) {
      String name = member.getKey();
      if (member.getValue().isNull()) {
        result.remove(name);
      } else {
        result.set(name, apply(result.get(name), member.getValue()));
      }
    }
    return result;
  }

  /**
   * The canonical merge patch {@code p} such that {@code apply(before, p)} equals {@code after}.
   * Both documents must be free of null members. The inputs are not modified and the patch shares
   * no objects or arrays with them.
   */
  public static ObjectNode diff(ObjectNode before, ObjectNode after) {
    ObjectNode patch = Nodes.object();
    for (Map.Entry<String, JsonNode> member : before.properties()) {
      if (!after.has(member.getKey())) {
        patch.set(member.getKey(), NullNode.getInstance());
      }
    }
    for (Map.Entry<String, JsonNode> member : after.properties()) {
      JsonNode change = change(before.get(member.getKey()), member.getValue());
      if (change != null) {
        patch.set(member.getKey(), change);
      }
    }
    return patch;
  }

  /**
   * The merge patch value turning {@code before} into {@code after} (either may be null for
   * "absent"), or null when they are equal.
   */
  static JsonNode change(JsonNode before, JsonNode after) {
    if (Nodes.same(before, after)) {
      return null;
    }
    if (after == null) {
      return NullNode.getInstance();
    }
    if (before instanceof ObjectNode beforeObject && after instanceof ObjectNode afterObject) {
      return diff(beforeObject, afterObject);
    }
    return Nodes.canonical(after);
  }
}
