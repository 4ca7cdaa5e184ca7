package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.gateway.SpacePolicies;
import io.docstream.gateway.SpacePolicy;
import io.docstream.gateway.Viewer;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewFilterTest {
  private final ViewFilter cards = SpacePolicies.defaults().view("cards");

  private static ObjectNode json(String text) {
    return (ObjectNode) Json.parse(text);
  }

  @Test
  void shouldShowOnlyTheViewersOwnHandAndNeverTheDeck() {
    ObjectNode doc =
        json(
            "{\"hands\":{\"alice\":{\"QS\":true},\"bob\":{\"2H\":true}},"
                + "\"deck\":{\"3C\":true},\"table\":\"KD\"}");

    assertThat(cards.filter(doc, Viewer.of("alice")))
        .isEqualTo(json("{\"hands\":{\"alice\":{\"QS\":true}},\"table\":\"KD\"}"));
    assertThat(cards.filter(doc, Viewer.ANONYMOUS))
        .isEqualTo(json("{\"hands\":{},\"table\":\"KD\"}"));
  }

  @Test
  void shouldLeaveTheInputUntouchedAndShareWhatItDoesNotChange() {
    ObjectNode doc = json("{\"table\":\"KD\",\"counts\":{\"alice\":5}}");
    assertThat(cards.filter(doc, Viewer.of("alice"))).isSameAs(doc);

    ObjectNode withDeck = json("{\"deck\":{},\"counts\":{\"alice\":5}}");
    ObjectNode filtered = cards.filter(withDeck, Viewer.of("alice"));
    assertThat(withDeck.has("deck")).isTrue();
    assertThat(filtered.get("counts")).isSameAs(withDeck.get("counts"));
  }

  @Test
  void shouldCommuteWithApplyingAPatch() {
    ObjectNode doc = json("{\"hands\":{\"alice\":{\"QS\":true}},\"deck\":{\"3C\":true}}");
    ObjectNode patch =
        json("{\"hands\":{\"alice\":{\"QS\":null},\"bob\":{\"QS\":true}},\"deck\":null}");
    Viewer alice = Viewer.of("alice");

    ObjectNode viaFilteredPatch =
        (ObjectNode)
            MergePatch.apply(cards.filter(doc, alice).deepCopy(), cards.filter(patch, alice));
    ObjectNode direct = cards.filter((ObjectNode) MergePatch.apply(doc.deepCopy(), patch), alice);

    assertThat(viaFilteredPatch).isEqualTo(direct);
  }

  @Test
  void shouldHideNestedOwnedPathsOfOtherViewers() {
    SpacePolicy policy = SpacePolicy.open("game").withRead(SpacePolicy.Access.ANYONE);
    ViewFilter view =
        ViewFilter.compile(
            new SpacePolicy(
                "game",
                policy.read(),
                policy.send(),
                List.of("/secret"),
                List.of("/players/{viewer}/cards"),
                java.util.Map.of()));
    ObjectNode doc =
        json(
            "{\"players\":{\"a\":{\"name\":\"A\",\"cards\":[1]},\"b\":{\"name\":\"B\",\"cards\":[2]}},"
                + "\"secret\":1}");

    assertThat(view.filter(doc, Viewer.of("a")))
        .isEqualTo(
            json("{\"players\":{\"a\":{\"name\":\"A\",\"cards\":[1]},\"b\":{\"name\":\"B\"}}}"));
  }

  @Test
  void shouldRefuseOwnedPathsWithoutViewerAndHiddenPathsWithIt() {
    assertThatThrownBy(
            () ->
                ViewFilter.compile(
                    new SpacePolicy(
                        "x",
                        SpacePolicy.Access.ANYONE,
                        SpacePolicy.Access.ANYONE,
                        List.of(),
                        List.of("/hands"),
                        java.util.Map.of())))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.CONFIG_INVALID);
    assertThatThrownBy(
            () ->
                SpacePolicies.fromProperties(
                    java.util.Map.of("gateway.space.x.hidden", "/a/{viewer}")))
        .hasMessageContaining("gateway.space.x.hidden");
  }

  private static final ViewFilter ROOM =
      SpacePolicies.fromProperties(
              java.util.Map.of(
                  "gateway.space.room.readers./messages", "/members",
                  "gateway.space.room.owned", "/notes/{viewer}",
                  "gateway.space.room.readers./notes/bob/draft", "/members"))
          .view("room");

  private static ObjectNode delta(ObjectNode before, String patch, Viewer viewer) {
    ObjectNode after = (ObjectNode) MergePatch.apply(before.deepCopy(), json(patch));
    return ROOM.filterDelta(json(patch), viewer, ROOM.access(before), ROOM.access(after), after);
  }

  @Test
  void shouldSendNullForAFieldAViewerStopsBeingListedFor() {
    ObjectNode doc = json("{\"members\":{\"alice\":1,\"bob\":1},\"messages\":{\"1\":\"hi\"}}");
    String patch = "{\"members\":{\"bob\":null},\"messages\":{\"2\":\"bye\"}}";

    assertThat(delta(doc, patch, Viewer.of("bob")))
        .isEqualTo(json("{\"members\":{\"bob\":null},\"messages\":null}"));
    assertThat(delta(doc, patch, Viewer.of("alice"))).isEqualTo(json(patch));
    assertThat(delta(doc, patch, Viewer.of("carol")))
        .as("never listed: no messages, and no null for what it never had")
        .isEqualTo(json("{\"members\":{\"bob\":null}}"));
  }

  @Test
  void shouldSendTheWholeFieldToAViewerNewlyListed() {
    ObjectNode doc = json("{\"members\":[\"alice\"],\"messages\":{\"1\":\"hi\"}}");

    assertThat(delta(doc, "{\"members\":[\"alice\",\"carol\"]}", Viewer.of("carol")))
        .isEqualTo(json("{\"members\":[\"alice\",\"carol\"],\"messages\":{\"1\":\"hi\"}}"));
    assertThat(ROOM.filter(doc, Viewer.of("carol"))).isEqualTo(json("{\"members\":[\"alice\"]}"));
    assertThat(ROOM.filter(doc, Viewer.ANONYMOUS)).isEqualTo(json("{\"members\":[\"alice\"]}"));
  }

  @Test
  void shouldNotNullAFieldTheViewerCouldNeverSee() {
    ObjectNode doc =
        json("{\"members\":{\"alice\":1,\"bob\":1},\"notes\":{\"bob\":{\"draft\":\"x\"}}}");
    String patch = "{\"members\":null}";

    assertThat(delta(doc, patch, Viewer.of("alice"))).isEqualTo(json(patch));
    assertThat(delta(doc, patch, Viewer.of("bob")))
        .isEqualTo(json("{\"members\":null,\"notes\":{\"bob\":{\"draft\":null}}}"));
  }

  @Test
  void shouldRefuseReadersPathsWithWildcardsOrOverlapping() {
    assertThatThrownBy(
            () ->
                SpacePolicies.fromProperties(
                    java.util.Map.of("gateway.space.x.readers./a/*", "/m")))
        .hasMessageContaining("gateway.space.x.hidden/owned/readers")
        .hasMessageContaining("no * or {viewer}");
    assertThatThrownBy(
            () ->
                SpacePolicies.fromProperties(
                    java.util.Map.of(
                        "gateway.space.x.readers./a", "/m", "gateway.space.x.readers./a/b", "/n")))
        .hasMessageContaining("overlap");
    assertThatThrownBy(
            () -> SpacePolicies.fromProperties(java.util.Map.of("gateway.space.x.readers", "/m")))
        .hasMessageContaining("gateway.space.x.readers");
  }
}
