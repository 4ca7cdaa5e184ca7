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
                List.of("/players/{viewer}/cards")));
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
                        List.of("/hands"))))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.CONFIG_INVALID);
    assertThatThrownBy(
            () ->
                SpacePolicies.fromProperties(
                    java.util.Map.of("gateway.space.x.hidden", "/a/{viewer}")))
        .hasMessageContaining("gateway.space.x.hidden");
  }
}
