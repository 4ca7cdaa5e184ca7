package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergePatchTest {

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"a":"b"}                | {"a":"c"}                      | {"a":"c"}
          {"a":"b"}                | {"b":"c"}                      | {"a":"b","b":"c"}
          {"a":"b"}                | {"a":null}                     | {}
          {"a":"b","b":"c"}        | {"a":null}                     | {"b":"c"}
          {"a":["b"]}              | {"a":"c"}                      | {"a":"c"}
          {"a":"c"}                | {"a":["b"]}                    | {"a":["b"]}
          {"a":{"b":"c"}}          | {"a":{"b":"d","c":null}}       | {"a":{"b":"d"}}
          {"a":[{"b":"c"}]}        | {"a":[1]}                      | {"a":[1]}
          ["a","b"]                | ["c","d"]                      | ["c","d"]
          {"a":"b"}                | ["c"]                          | ["c"]
          {"a":"foo"}              | null                           | null
          {"a":"foo"}              | "bar"                          | "bar"
          {"e":null}               | {"a":1}                        | {"e":null,"a":1}
          [1,2]                    | {"a":"b","c":null}             | {"a":"b"}
          {}                       | {"a":{"bb":{"ccc":null}}}      | {"a":{"bb":{}}}
          """)
  void shouldMatchEveryExampleOfRfc7396AppendixA(String target, String patch, String result) {
    assertThat(MergePatch.apply(Json.parse(target), Json.parse(patch)))
        .isEqualTo(Json.parse(result));
  }

  @Test
  void shouldCopyArraysAsWrittenWithTheirNulls() {
    JsonNode patch = Json.parse("{\"a\":[{\"b\":null,\"c\":1},null],\"d\":null}");

    JsonNode result = MergePatch.apply(Nodes.object(), patch);

    assertThat(Json.text(result)).isEqualTo("{\"a\":[{\"b\":null,\"c\":1},null]}");
    assertThat(Json.text(MergePatch.diff(Nodes.object(), (ObjectNode) result)))
        .isEqualTo("{\"a\":[{\"b\":null,\"c\":1},null]}");
  }

  @Test
  void shouldModifyAnObjectTargetInPlace() {
    JsonNode target = Nodes.canonical(Json.parse("{\"a\":{\"b\":1}}"));

    JsonNode result = MergePatch.apply(target, Json.parse("{\"a\":{\"c\":2}}"));

    assertThat(result).isSameAs(target);
    assertThat(Json.text(target)).isEqualTo("{\"a\":{\"b\":1,\"c\":2}}");
  }

  @Test
  void shouldCopyPatchValuesSoLaterChangesToThePatchDoNotLeakIn() {
    ObjectNode patch = (ObjectNode) Json.parse("{\"a\":{\"b\":[1]}}");
    JsonNode result = MergePatch.apply(Nodes.object(), patch);

    ((ObjectNode) patch.get("a")).put("c", 3);

    assertThat(Json.text(result)).isEqualTo("{\"a\":{\"b\":[1]}}");
  }

  @ParameterizedTest(name = "diff({0}, {1}) = {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                          | {}                       | {}
          {"a":1}                     | {"a":1}                  | {}
          {"a":1}                     | {"a":2}                  | {"a":2}
          {"a":1,"b":2}               | {"b":2}                  | {"a":null}
          {"a":{"x":1,"y":2}}         | {"a":{"x":1,"z":3}}      | {"a":{"y":null,"z":3}}
          {"a":{"x":1}}               | {"a":[1]}                | {"a":[1]}
          {"a":[1,2]}                 | {"a":[1,3]}              | {"a":[1,3]}
          {"a":"s"}                   | {"a":{"b":{}}}           | {"a":{"b":{}}}
          {"z":1}                     | {"b":1,"a":1}            | {"a":1,"b":1,"z":null}
          """)
  void shouldDiffIntoTheCanonicalPatchThatRoundTrips(String before, String after, String patch) {
    ObjectNode from = (ObjectNode) Nodes.canonical(Json.parse(before));
    ObjectNode to = (ObjectNode) Nodes.canonical(Json.parse(after));

    ObjectNode diff = MergePatch.diff(from, to);

    assertThat(Json.text(diff)).isEqualTo(patch);
    assertThat(MergePatch.apply(Nodes.canonical(from), diff)).isEqualTo(to);
  }
}
