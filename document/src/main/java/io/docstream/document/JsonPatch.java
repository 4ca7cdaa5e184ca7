package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.Comparator;
import java.util.List;

/**
 * RFC 6902 JSON Patch applied through the {@link Document} interface, so that its cost follows the
 * change like any other write (a library would copy the whole document).
 *
 * <p>Documents hold no nulls, so a patch that adds or replaces with {@code null} removes the member
 * (null array elements stay), and a {@code test} for {@code null} succeeds when the path is absent.
 * Only {@code test} may name the root {@code ""}. Numbers are equal in {@code test} when their
 * values are, whatever their notation ({@code 1} and {@code 1.0}).
 *
 * <p>The whole patch is validated before any operation is applied, but an operation that fails (a
 * failed test or a missing path) leaves the earlier ones applied: callers undo them, for example
 * with {@link TrackedDocument#rollback()}.
 */
public final class JsonPatch {
  private static final Comparator<JsonNode> NUMERIC_EQUALITY =
      (a, b) ->
          a.equals(b)
                  || (a.isNumber()
                      && b.isNumber()
                      && a.decimalValue().compareTo(b.decimalValue()) == 0)
              ? 0
              : 1;

  private JsonPatch() {}

  /**
   * Applies {@code patch} to {@code doc}.
   *
   * @throws DocstreamException with {@code JSON_PATCH_INVALID} for a malformed patch, {@code
   *     JSON_PATCH_TEST_FAILED} when a test does not match and {@code JSON_PATCH_PATH_MISSING} when
   *     a path that must exist does not
   */
  public static void apply(Document doc, JsonNode patch) {
    for (JsonPatchOperation operation : JsonPatchOperation.parseAll(patch)) {
      apply(doc, operation);
    }
  }

  private static void apply(Document doc, JsonPatchOperation operation) {
    List<String> path = operation.path();
    switch (operation.op()) {
      case ADD -> add(doc, path, operation.value());
      case REMOVE -> remove(doc, path);
      case REPLACE -> {
        remove(doc, path);
        add(doc, path, operation.value());
      }
      case MOVE -> {
        JsonNode value = Nodes.canonical(existing(doc, operation.from()));
        remove(doc, operation.from());
        add(doc, path, value);
      }
      case COPY -> add(doc, path, existing(doc, operation.from()));
      case TEST -> test(doc, path, operation.value());
    }
  }

  private static void add(Document doc, List<String> path, JsonNode value) {
    List<String> parentPath = path.subList(0, path.size() - 1);
    String name = path.get(path.size() - 1);
    JsonNode parent = existing(doc, parentPath);
    if (parent.isObject()) {
      doc.set(Pointer.format(path), value);
    } else if (parent instanceof ArrayNode array) {
      int index = "-".equals(name) ? array.size() : Pointer.index(name);
      if (index < 0 || index > array.size()) {
        throw missing(path);
      }
      ArrayNode copy = copyOf(array);
      copy.insert(index, value);
      doc.set(Pointer.format(parentPath), copy);
    } else {
      throw missing(path);
    }
  }

  private static void remove(Document doc, List<String> path) {
    existing(doc, path);
    List<String> parentPath = path.subList(0, path.size() - 1);
    if (doc.get(Pointer.format(parentPath)) instanceof ArrayNode array) {
      ArrayNode copy = copyOf(array);
      copy.remove(Pointer.index(path.get(path.size() - 1)));
      doc.set(Pointer.format(parentPath), copy);
    } else {
      doc.remove(Pointer.format(path));
    }
  }

  private static void test(Document doc, List<String> path, JsonNode expected) {
    JsonNode actual = doc.get(Pointer.format(path));
    boolean equal =
        expected.isNull()
            ? actual == null
            : actual != null && actual.equals(NUMERIC_EQUALITY, Nodes.canonical(expected));
    if (!equal) {
      throw new DocstreamException(
          ErrorCode.JSON_PATCH_TEST_FAILED,
          "test failed at '" + Pointer.format(path) + "': expected " + Json.text(expected));
    }
  }

  private static JsonNode existing(Document doc, List<String> path) {
    JsonNode value = doc.get(Pointer.format(path));
    if (value == null) {
      throw missing(path);
    }
    return value;
  }

  private static ArrayNode copyOf(ArrayNode array) {
    ArrayNode copy = Json.NODES.arrayNode(array.size() + 1);
    copy.addAll(array);
    return copy;
  }

  private static DocstreamException missing(List<String> path) {
    return new DocstreamException(
        ErrorCode.JSON_PATCH_PATH_MISSING, "no value at '" + Pointer.format(path) + "'");
  }
}
