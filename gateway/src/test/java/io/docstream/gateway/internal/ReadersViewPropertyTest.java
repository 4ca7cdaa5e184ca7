package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.Json;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For random documents, patches and rules of every kind, each viewer's frames rebuild exactly its
 * view: {@code apply(filter(before), filterDelta(patch)) == filter(after)}. A frame that carried
 * anything the viewer may not see, or missed a field it gained or lost, would break the equation.
 */
class ReadersViewPropertyTest {
  private static final List<String> KEYS =
      List.of("a", "b", "c", "m", "h", "r", "s", "alice", "bob", "carol");
  private static final List<Viewer> VIEWERS =
      List.of(Viewer.of("alice"), Viewer.of("bob"), Viewer.of("carol"), Viewer.ANONYMOUS);

  private final ViewFilter view =
      SpacePolicies.fromProperties(
              Map.of(
                  "gateway.space.room.hidden", "/s",
                  "gateway.space.room.owned", "/h/{viewer}",
                  "gateway.space.room.readers./a/b", "/m",
                  "gateway.space.room.readers./r", "/r/m",
                  "gateway.space.room.readers./c", "/a/m",
                  "gateway.space.room.readers./h/bob/b", "/m"))
          .view("room");

  @Property(tries = 3000)
  void framesRebuildEachViewersView(
      @ForAll("documents") ObjectNode before, @ForAll("patches") ObjectNode patch) {
    ObjectNode original = before.deepCopy();
    ObjectNode after = (ObjectNode) MergePatch.apply(before.deepCopy(), patch);
    ViewFilter.Access accessBefore = view.access(before);
    ViewFilter.Access accessAfter = view.access(after);

    for (Viewer viewer : VIEWERS) {
      ObjectNode seen = view.filter(before, viewer).deepCopy();
      ObjectNode frame = view.filterDelta(patch, viewer, accessBefore, accessAfter, after);
      assertThat(MergePatch.apply(seen, frame))
          .as("viewer %s, patch %s", viewer, patch)
          .isEqualTo(view.filter(after, viewer));
    }
    assertThat(before).as("inputs are never modified").isEqualTo(original);
  }

  @Property(tries = 1000)
  void patchesThatLeaveTheListsAloneDoNotChangeAccess(
      @ForAll("documents") ObjectNode before, @ForAll("patches") ObjectNode patch) {
    ObjectNode after = (ObjectNode) MergePatch.apply(before.deepCopy(), patch);
    if (!view.changesAccess(patch)) {
      for (Viewer viewer : VIEWERS) {
        ObjectNode frame =
            view.filterDelta(patch, viewer, view.access(after), view.access(after), after);
        assertThat(MergePatch.apply(view.filter(before, viewer).deepCopy(), frame))
            .isEqualTo(view.filter(after, viewer));
      }
    }
  }

  @Provide
  Arbitrary<ObjectNode> documents() {
    return objects(3, false);
  }

  @Provide
  Arbitrary<ObjectNode> patches() {
    return objects(3, true);
  }

  private static Arbitrary<ObjectNode> objects(int depth, boolean patch) {
    Arbitrary<JsonNode> values = values(depth - 1, patch);
    return Arbitraries.maps(Arbitraries.of(KEYS), values)
        .ofMaxSize(4)
        .map(
            members -> {
              ObjectNode object = Json.object();
              members.forEach(object::set);
              return object;
            });
  }

  private static Arbitrary<JsonNode> values(int depth, boolean patch) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 3).map(Json.NODES::numberNode),
            Arbitraries.of("alice", "bob", "x").map(Json.NODES::textNode));
    Arbitrary<JsonNode> arrays =
        Arbitraries.of("alice", "bob", "carol")
            .list()
            .ofMaxSize(2)
            .map(
                names -> {
                  var array = Json.NODES.arrayNode();
                  names.forEach(array::add);
                  return array;
                });
    Arbitrary<JsonNode> nulls = Arbitraries.just(NullNode.getInstance());
    if (depth == 0) {
      return patch ? Arbitraries.oneOf(scalars, arrays, nulls) : Arbitraries.oneOf(scalars, arrays);
    }
    Arbitrary<JsonNode> objects = objects(depth, patch).map(o -> o);
    if (patch) {
      return Arbitraries.frequencyOf(
          Tuple.of(2, scalars), Tuple.of(1, arrays), Tuple.of(4, objects), Tuple.of(2, nulls));
    }
    return Arbitraries.frequencyOf(Tuple.of(2, scalars), Tuple.of(1, arrays), Tuple.of(4, objects));
  }
}
