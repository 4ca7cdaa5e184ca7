package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import org.junit.jupiter.api.Test;

class NodesTest {

  @Test
  void shouldSortMembersAtEveryDepth() {
    JsonNode canonical =
        Nodes.canonical(Json.parse("{\"b\":1,\"a\":{\"z\":[{\"y\":1,\"x\":2}],\"c\":3}}"));

    assertThat(Json.text(canonical))
        .isEqualTo("{\"a\":{\"c\":3,\"z\":[{\"x\":2,\"y\":1}]},\"b\":1}");
  }

  @Test
  void shouldKeepObjectsSortedWhenMembersAreAddedLater() {
    ObjectNode object = Nodes.object();

    object.put("b", 1);
    object.put("a", 2);
    ((ObjectNode) Nodes.canonical(Json.parse("{}"))).put("later", 1);

    assertThat(Json.text(object)).isEqualTo("{\"a\":2,\"b\":1}");
  }

  @Test
  void shouldDropNullMembersButKeepWhatArraysHoldAsWritten() {
    JsonNode canonical =
        Nodes.canonical(
            Json.parse("{\"a\":null,\"b\":[null,{\"d\":[{\"f\":null}],\"c\":null}],\"e\":{}}"));

    assertThat(Json.text(canonical))
        .isEqualTo("{\"b\":[null,{\"c\":null,\"d\":[{\"f\":null}]}],\"e\":{}}");
  }

  @Test
  void shouldCopyContainersSoTheOriginalCanChangeIndependently() {
    ObjectNode original = (ObjectNode) Json.parse("{\"a\":{\"b\":[1]}}");
    JsonNode canonical = Nodes.canonical(original);

    ((ArrayNode) original.get("a").get("b")).add(2);
    ((ObjectNode) original.get("a")).put("c", 3);

    assertThat(Json.text(canonical)).isEqualTo("{\"a\":{\"b\":[1]}}");
  }

  @Test
  void shouldReturnScalarsAndNullAsThey() {
    JsonNode text = Json.parse("\"s\"");

    assertThat(Nodes.canonical(text)).isSameAs(text);
    assertThat(Nodes.canonical(Json.parse("null")).isNull()).isTrue();
    assertThat(Nodes.canonical(null)).isNull();
  }

  @Test
  void shouldTellValuesApartWhenTheySerializeDifferently() {
    assertThat(Nodes.same(Json.parse("{\"n\":[1.5]}"), Json.parse("{\"n\":[1.5]}"))).isTrue();
    assertThat(Nodes.same(Json.parse("{\"n\":[1.5]}"), Json.parse("{\"n\":[1.50]}"))).isFalse();
    assertThat(Nodes.same(Json.parse("1"), Json.NODES.numberNode(1L))).isTrue();
    assertThat(Nodes.same(Json.parse("\"1\""), Json.parse("1"))).isFalse();
    assertThat(Nodes.same(null, Json.parse("1"))).isFalse();
    assertThat(Nodes.same(null, null)).isTrue();
  }
}
