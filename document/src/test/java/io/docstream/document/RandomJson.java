package io.docstream.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for small JSON trees and edits. Keys come from a tiny alphabet (including characters
 * that pointers escape) so that edits collide with existing members.
 */
final class RandomJson {
  private static final int DEPTH = 3;

  private RandomJson() {}

  static Arbitrary<String> keys() {
    return Arbitraries.of("a", "b", "c", "d/e", "~");
  }

  static Arbitrary<JsonNode> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-2, 2).map(Json.NODES::numberNode),
        Arbitraries.of("x", "y", "").map(Json.NODES::textNode),
        Arbitraries.of(true, false).map(Json.NODES::booleanNode),
        Arbitraries.of("1.50", "1.5", "-0.0", "1E+3").map(Json::parse));
  }

  /** Canonical documents: sorted objects, no nulls. */
  static Arbitrary<ObjectNode> documents() {
    return objects(DEPTH, values(DEPTH - 1)).map(o -> (ObjectNode) Nodes.canonical(o));
  }

  /** Values a document may hold. */
  static Arbitrary<JsonNode> values(int depth) {
    if (depth == 0) {
      return scalars();
    }
    Arbitrary<JsonNode> children = values(depth - 1);
    return Arbitraries.frequencyOf(
        Tuple.of(3, scalars()),
        Tuple.of(1, arrays(children)),
        Tuple.of(2, objects(depth, children).map(JsonNode.class::cast)));
  }

  /** Merge patches: objects whose members may be null, in no particular order. */
  static Arbitrary<ObjectNode> mergePatches(int depth) {
    Arbitrary<JsonNode> members =
        depth == 0
            ? Arbitraries.oneOf(scalars(), Arbitraries.just(NullNode.getInstance()))
            : Arbitraries.frequencyOf(
                Tuple.of(2, scalars()),
                Tuple.of(2, Arbitraries.just(NullNode.getInstance())),
                Tuple.of(1, values(depth - 1)),
                Tuple.of(2, mergePatches(depth - 1).map(JsonNode.class::cast)));
    return objects(depth, members);
  }

  /** Pointers of one to three segments, through objects and arrays alike. */
  static Arbitrary<String> pointers() {
    Arbitrary<String> segments = Arbitraries.oneOf(keys(), Arbitraries.of("0", "1", "-"));
    return segments.list().ofMinSize(1).ofMaxSize(3).map(Pointer::format);
  }

  static Arbitrary<List<Edit>> edits() {
    Arbitrary<Edit> set =
        Combinators.combine(
                pointers(), Arbitraries.oneOf(values(2), Arbitraries.just(NullNode.getInstance())))
            .as(Edit.Set::new);
    Arbitrary<Edit> remove = pointers().map(Edit.Remove::new);
    Arbitrary<Edit> merge =
        Combinators.combine(Arbitraries.oneOf(pointers(), Arbitraries.just("")), mergePatches(2))
            .as(Edit.Merge::new);
    Arbitrary<Edit> mergeValue = Combinators.combine(pointers(), values(1)).as(Edit.Merge::new);
    return Arbitraries.oneOf(set, remove, merge, mergeValue).list().ofMaxSize(8);
  }

  private static Arbitrary<ObjectNode> objects(int depth, Arbitrary<JsonNode> members) {
    return Arbitraries.maps(keys(), members)
        .ofMaxSize(depth + 1)
        .map(
            map -> {
              ObjectNode object = Json.NODES.objectNode();
              for (Map.Entry<String, JsonNode> member : map.entrySet()) {
                object.set(member.getKey(), member.getValue());
              }
              return object;
            });
  }

  private static Arbitrary<JsonNode> arrays(Arbitrary<JsonNode> elements) {
    return elements
        .list()
        .ofMaxSize(3)
        .map(
            list -> {
              ArrayNode array = Json.NODES.arrayNode();
              list.forEach(array::add);
              return array;
            });
  }

  /** One write to a document. */
  sealed interface Edit {
    void applyTo(Document doc);

    record Set(String pointer, JsonNode value) implements Edit {
      @Override
      public void applyTo(Document doc) {
        doc.set(pointer, value);
      }
    }

    record Remove(String pointer) implements Edit {
      @Override
      public void applyTo(Document doc) {
        doc.remove(pointer);
      }
    }

    record Merge(String pointer, JsonNode patch) implements Edit {
      @Override
      public void applyTo(Document doc) {
        doc.merge(pointer, patch);
      }
    }
  }
}
