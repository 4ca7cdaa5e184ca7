package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPatchTest {

  private static TrackedDocument document(String json) {
    return new TrackedDocument((ObjectNode) Nodes.canonical(Json.parse(json)));
  }

  private static void assertFails(String json, String patch, ErrorCode code) {
    TrackedDocument doc = document(json);
    assertThatThrownBy(() -> JsonPatch.apply(doc, Json.parse(patch)))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(code);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          A.1 adding an object member   | {"foo":"bar"}                         | [{"op":"add","path":"/baz","value":"qux"}]                     | {"baz":"qux","foo":"bar"}
          A.2 adding an array element   | {"foo":["bar","baz"]}                 | [{"op":"add","path":"/foo/1","value":"qux"}]                   | {"foo":["bar","qux","baz"]}
          A.3 removing an object member | {"baz":"qux","foo":"bar"}             | [{"op":"remove","path":"/baz"}]                                | {"foo":"bar"}
          A.4 removing an array element | {"foo":["bar","qux","baz"]}           | [{"op":"remove","path":"/foo/1"}]                              | {"foo":["bar","baz"]}
          A.5 replacing a value         | {"baz":"qux","foo":"bar"}             | [{"op":"replace","path":"/baz","value":"boo"}]                 | {"baz":"boo","foo":"bar"}
          A.6 moving a value            | {"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}} | [{"op":"move","from":"/foo/waldo","path":"/qux/thud"}] | {"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}
          A.7 moving an array element   | {"foo":["all","grass","cows","eat"]}  | [{"op":"move","from":"/foo/1","path":"/foo/3"}]                | {"foo":["all","cows","eat","grass"]}
          A.8 testing a value succeeds  | {"baz":"qux","foo":["a",2,"c"]}       | [{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}] | {"baz":"qux","foo":["a",2,"c"]}
          A.10 adding a nested object   | {"foo":"bar"}                         | [{"op":"add","path":"/child","value":{"grandchild":{}}}]       | {"child":{"grandchild":{}},"foo":"bar"}
          A.11 ignoring unknown members | {"foo":"bar"}                         | [{"op":"add","path":"/baz","value":"qux","xyz":123}]           | {"baz":"qux","foo":"bar"}
          A.14 escape ordering          | {"/":9,"~1":10}                       | [{"op":"test","path":"/~01","value":10}]                       | {"/":9,"~1":10}
          A.16 adding an array value    | {"foo":["bar"]}                       | [{"op":"add","path":"/foo/-","value":["abc","def"]}]           | {"foo":["bar",["abc","def"]]}
          """)
  void shouldApplyTheSuccessfulExamplesOfRfc6902AppendixA(
      String example, String json, String patch, String expected) {
    TrackedDocument doc = document(json);

    JsonPatch.apply(doc, Json.parse(patch));

    assertThat(doc.root()).isEqualTo(Json.parse(expected));
  }

  @Test
  void shouldFailA9WhenATestDoesNotMatch() {
    assertFails(
        "{\"baz\":\"qux\"}",
        "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
        ErrorCode.JSON_PATCH_TEST_FAILED);
  }

  @Test
  void shouldFailA12WhenAddingBelowANonexistentTarget() {
    assertFails(
        "{\"foo\":\"bar\"}",
        "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]",
        ErrorCode.JSON_PATCH_PATH_MISSING);
  }

  @Test
  void shouldRejectA13DuplicateOpMembersAlreadyWhenParsingTheStrictJson() {
    assertThatThrownBy(
            () ->
                Json.parse(
                    "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"op\":\"remove\"}]"))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.RECORD_NOT_JSON);
  }

  @Test
  void shouldFailA15WhenComparingAStringWithANumber() {
    assertFails(
        "{\"/\":9,\"~1\":10}",
        "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":\"10\"}]",
        ErrorCode.JSON_PATCH_TEST_FAILED);
  }

  @Test
  void shouldRemoveWhenAddingOrReplacingWithNullSinceDocumentsHoldNoNulls() {
    TrackedDocument doc = document("{\"a\":1,\"b\":2,\"c\":3}");

    JsonPatch.apply(
        doc,
        Json.parse(
            "[{\"op\":\"add\",\"path\":\"/a\",\"value\":null},"
                + "{\"op\":\"replace\",\"path\":\"/b\",\"value\":null}]"));

    assertThat(Json.text(doc.root())).isEqualTo("{\"c\":3}");
  }

  @Test
  void shouldKeepNullElementsAddedToArrays() {
    TrackedDocument doc = document("{\"list\":[1]}");

    JsonPatch.apply(doc, Json.parse("[{\"op\":\"add\",\"path\":\"/list/0\",\"value\":null}]"));

    assertThat(Json.text(doc.root())).isEqualTo("{\"list\":[null,1]}");
  }

  @Test
  void shouldPassATestForNullExactlyWhenThePathIsAbsent() {
    TrackedDocument doc = document("{\"a\":1}");

    JsonPatch.apply(doc, Json.parse("[{\"op\":\"test\",\"path\":\"/b\",\"value\":null}]"));

    assertFails(
        "{\"a\":1}",
        "[{\"op\":\"test\",\"path\":\"/a\",\"value\":null}]",
        ErrorCode.JSON_PATCH_TEST_FAILED);
  }

  @Test
  void shouldCompareNumbersByValueAndTestTheWholeDocumentAtTheRoot() {
    TrackedDocument doc = document("{\"a\":{\"n\":1,\"list\":[2.50]}}");

    JsonPatch.apply(
        doc,
        Json.parse(
            "[{\"op\":\"test\",\"path\":\"\",\"value\":{\"a\":{\"n\":1.0,\"list\":[2.5]}}}]"));

    assertThat(doc.dirty()).isFalse();
  }

  @Test
  void shouldCopyAValueWithoutSharingNodes() {
    TrackedDocument doc = document("{\"a\":{\"x\":1}}");

    JsonPatch.apply(
        doc,
        Json.parse(
            "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"},"
                + "{\"op\":\"add\",\"path\":\"/b/y\",\"value\":2}]"));

    assertThat(Json.text(doc.root())).isEqualTo("{\"a\":{\"x\":1},\"b\":{\"x\":1,\"y\":2}}");
  }

  @Test
  void shouldCommitAPatchAsAMergePatchOfOnlyWhatItChanged() {
    TrackedDocument doc = document("{\"big\":{\"k1\":1,\"k2\":2},\"list\":[1,2]}");

    JsonPatch.apply(
        doc,
        Json.parse(
            "[{\"op\":\"replace\",\"path\":\"/big/k1\",\"value\":5},"
                + "{\"op\":\"add\",\"path\":\"/list/-\",\"value\":3}]"));

    assertThat(Json.text(doc.commit())).isEqualTo("{\"big\":{\"k1\":5},\"list\":[1,2,3]}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          not an array                 | {"op":"add","path":"/a","value":1}
          operation not an object      | [1]
          op missing                   | [{"path":"/a","value":1}]
          op not a string              | [{"op":1,"path":"/a","value":1}]
          unknown op                   | [{"op":"increment","path":"/a","value":1}]
          path missing                 | [{"op":"remove"}]
          path malformed               | [{"op":"remove","path":"a"}]
          path bad escape              | [{"op":"remove","path":"/a~2"}]
          value missing for add        | [{"op":"add","path":"/a"}]
          value missing for replace    | [{"op":"replace","path":"/a"}]
          value missing for test       | [{"op":"test","path":"/a"}]
          from missing for move        | [{"op":"move","path":"/a"}]
          from missing for copy        | [{"op":"copy","path":"/a"}]
          add at the root              | [{"op":"add","path":"","value":{}}]
          remove the root              | [{"op":"remove","path":""}]
          replace the root             | [{"op":"replace","path":"","value":{}}]
          move into its own child      | [{"op":"move","from":"/a","path":"/a/b"}]
          move the root                | [{"op":"move","from":"","path":"/b"}]
          """)
  void shouldRejectMalformedPatchesBeforeApplyingAnything(String reason, String patch) {
    TrackedDocument doc = document("{\"a\":{\"b\":1}}");
    String valid = "{\"op\":\"add\",\"path\":\"/z\",\"value\":1}";
    String withValidFirst = patch.startsWith("[") ? "[" + valid + "," + patch.substring(1) : patch;

    assertThatThrownBy(() -> JsonPatch.apply(doc, Json.parse(withValidFirst)))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.JSON_PATCH_INVALID);
    assertThat(doc.dirty()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          remove a missing member       | [{"op":"remove","path":"/nope"}]
          replace a missing member      | [{"op":"replace","path":"/nope","value":1}]
          move from a missing member    | [{"op":"move","from":"/nope","path":"/b"}]
          copy from a missing member    | [{"op":"copy","from":"/nope","path":"/b"}]
          add past the end of an array  | [{"op":"add","path":"/list/3","value":1}]
          add at a non-index in array   | [{"op":"add","path":"/list/x","value":1}]
          remove past the end           | [{"op":"remove","path":"/list/2"}]
          add below a scalar            | [{"op":"add","path":"/s/x","value":1}]
          """)
  void shouldReportPathsThatMustExistButDoNot(String reason, String patch) {
    assertFails("{\"list\":[1,2],\"s\":\"text\"}", patch, ErrorCode.JSON_PATCH_PATH_MISSING);
  }
}
