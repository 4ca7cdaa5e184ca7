package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import org.junit.jupiter.api.Test;

class TrackedDocumentTest {

  private static TrackedDocument document(String json) {
    return new TrackedDocument((ObjectNode) Nodes.canonical(Json.parse(json)));
  }

  private static JsonNode json(String json) {
    return Json.parse(json);
  }

  private static String text(JsonNode node) {
    return Json.text(node);
  }

  @Test
  void shouldReadValuesByPointerAndNullWhenAbsent() {
    TrackedDocument doc = document("{\"a\":{\"b\":[10,{\"c\":true}]},\"x/y\":1,\"m~n\":2}");

    assertThat(doc.get("/a/b/1/c").booleanValue()).isTrue();
    assertThat(doc.get("/x~1y").intValue()).isEqualTo(1);
    assertThat(doc.get("/m~0n").intValue()).isEqualTo(2);
    assertThat(doc.get("")).isSameAs(doc.root());
    assertThat(doc.get("/a/b/2")).isNull();
    assertThat(doc.get("/a/b/-")).isNull();
    assertThat(doc.get("/a/b/01")).isNull();
    assertThat(doc.get("/a/b/0/deeper")).isNull();
    assertThat(doc.get("/missing")).isNull();
    assertThat(doc.has("/a")).isTrue();
  }

  @Test
  void shouldCommitASetAsAMergePatchOfJustThatMember() {
    TrackedDocument doc = document("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}");

    doc.set("/b/c", json("5"));

    assertThat(doc.dirty()).isTrue();
    assertThat(text(doc.commit())).isEqualTo("{\"b\":{\"c\":5}}");
    assertThat(doc.dirty()).isFalse();
    assertThat(text(doc.root())).isEqualTo("{\"a\":1,\"b\":{\"c\":5,\"d\":3}}");
  }

  @Test
  void shouldCommitAnEmptyPatchWhenAValueIsChangedAndChangedBack() {
    TrackedDocument doc = document("{\"a\":1,\"b\":{\"c\":2}}");

    doc.set("/a", json("7"));
    doc.remove("/b");
    doc.set("/a", json("1"));
    doc.set("/b/c", json("2"));

    assertThat(text(doc.commit())).isEqualTo("{}");
  }

  @Test
  void shouldCreateMissingParentsAndReplaceScalarParentsWithObjects() {
    TrackedDocument doc = document("{\"s\":\"text\"}");

    doc.set("/new/deep/leaf", json("1"));
    doc.set("/s/inner", json("2"));

    assertThat(text(doc.root())).isEqualTo("{\"new\":{\"deep\":{\"leaf\":1}},\"s\":{\"inner\":2}}");
    assertThat(text(doc.commit()))
        .isEqualTo("{\"new\":{\"deep\":{\"leaf\":1}},\"s\":{\"inner\":2}}");
  }

  @Test
  void shouldRemoveWhenSettingNullOrJsonNull() {
    TrackedDocument doc = document("{\"a\":1,\"b\":2,\"c\":3}");

    doc.set("/a", null);
    doc.set("/b", json("null"));
    doc.remove("/zzz");
    doc.remove("/c/under/a/scalar");

    assertThat(text(doc.root())).isEqualTo("{\"c\":3}");
    assertThat(text(doc.commit())).isEqualTo("{\"a\":null,\"b\":null}");
  }

  @Test
  void shouldDoNothingWhenRemovingSomethingAbsent() {
    TrackedDocument doc = document("{\"list\":[1]}");

    doc.remove("/nothing");
    doc.remove("/list/5");
    doc.remove("/list/-");

    assertThat(doc.dirty()).isFalse();
  }

  @Test
  void shouldRejectTheRootAndMalformedPointersForSetAndRemove() {
    TrackedDocument doc = document("{}");

    assertPathInvalid(() -> doc.set("", json("{}")));
    assertPathInvalid(() -> doc.remove(""));
    assertPathInvalid(() -> doc.set("a", json("1")));
    assertPathInvalid(() -> doc.set("/a~2", json("1")));
    assertPathInvalid(() -> doc.get("/a~"));
  }

  @Test
  void shouldReplaceTheWholeArrayInTheDeltaWhenWritingIntoIt() {
    TrackedDocument doc = document("{\"list\":[1,{\"k\":2},3],\"other\":0}");

    doc.set("/list/0", json("9"));
    doc.set("/list/1/k", json("8"));
    doc.set("/list/-", json("4"));
    doc.remove("/list/2");

    assertThat(text(doc.root())).isEqualTo("{\"list\":[9,{\"k\":8},4],\"other\":0}");
    assertThat(text(doc.commit())).isEqualTo("{\"list\":[9,{\"k\":8},4]}");
  }

  @Test
  void shouldRejectArrayIndexesOutOfRangeWithoutChangingTheDocument() {
    TrackedDocument doc = document("{\"list\":[1,2]}");

    assertPathInvalid(() -> doc.set("/list/2", json("3")));
    assertPathInvalid(() -> doc.set("/list/01", json("3")));
    assertPathInvalid(() -> doc.set("/list/name", json("3")));

    assertThat(text(doc.root())).isEqualTo("{\"list\":[1,2]}");
    assertThat(doc.dirty()).isFalse();
  }

  @Test
  void shouldAppendANewElementObjectThroughDash() {
    TrackedDocument doc = document("{\"list\":[]}");

    doc.set("/list/-/name", json("\"x\""));

    assertThat(text(doc.root())).isEqualTo("{\"list\":[{\"name\":\"x\"}]}");
  }

  @Test
  void shouldMergeAtTheRootAndAtAPath() {
    TrackedDocument doc = document("{\"a\":{\"b\":1,\"c\":2},\"d\":3}");

    doc.merge("", json("{\"d\":null,\"e\":{\"f\":null,\"g\":1}}"));
    doc.merge("/a", json("{\"b\":null,\"x\":{\"y\":2}}"));
    doc.merge("/new/path", json("{\"k\":null,\"v\":1}"));

    assertThat(text(doc.root()))
        .isEqualTo(
            "{\"a\":{\"c\":2,\"x\":{\"y\":2}},\"e\":{\"g\":1},\"new\":{\"path\":{\"v\":1}}}");
    assertThat(text(doc.commit()))
        .isEqualTo(
            "{\"a\":{\"b\":null,\"x\":{\"y\":2}},\"d\":null,\"e\":{\"g\":1},"
                + "\"new\":{\"path\":{\"v\":1}}}");
  }

  @Test
  void shouldMergeIntoAnObjectInsideAnArrayByReplacingTheArray() {
    TrackedDocument doc = document("{\"list\":[{\"a\":1,\"b\":2}]}");

    doc.merge("/list/0", json("{\"a\":null,\"c\":3}"));

    assertThat(text(doc.commit())).isEqualTo("{\"list\":[{\"b\":2,\"c\":3}]}");
  }

  @Test
  void shouldRejectANonObjectMergeAtTheRoot() {
    TrackedDocument doc = document("{}");

    assertThatThrownBy(() -> doc.merge("", json("[1]")))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.PATCH_NOT_OBJECT);
  }

  @Test
  void shouldSetAValueWhenMergingANonObjectAtAPath() {
    TrackedDocument doc = document("{\"a\":{\"b\":1}}");

    doc.merge("/a", json("5"));
    doc.merge("/c", json("null"));

    assertThat(text(doc.root())).isEqualTo("{\"a\":5}");
  }

  @Test
  void shouldDiffAgainstTheOriginalWhenAnAncestorIsReplacedAfterADescendant() {
    TrackedDocument doc = document("{\"a\":{\"b\":{\"c\":1,\"d\":2},\"e\":3}}");

    doc.set("/a/b/c", json("10"));
    doc.remove("/a/e");
    doc.set("/a", json("{\"b\":{\"c\":1,\"d\":2},\"e\":4}"));

    assertThat(text(doc.commit())).isEqualTo("{\"a\":{\"e\":4}}");
  }

  @Test
  void shouldCarryAChangeOfNumberNotationThatEqualsWouldIgnore() {
    TrackedDocument doc = document("{\"n\":1.50}");

    doc.set("/n", json("1.5"));

    assertThat(text(doc.commit())).isEqualTo("{\"n\":1.5}");
  }

  @Test
  void shouldRestoreTheExactBytesOnRollback() {
    String original = "{\"a\":{\"b\":[1,2],\"c\":\"x\"},\"d\":1.50,\"e\":{}}";
    TrackedDocument doc = document(original);
    doc.set("/f", json("1"));
    doc.commit();
    byte[] committed = Json.bytes(doc.root());

    doc.set("/a/b/0", json("7"));
    doc.remove("/a/c");
    doc.set("/a", json("2"));
    doc.merge("", json("{\"d\":null,\"e\":{\"z\":1},\"g\":{\"h\":1}}"));
    doc.set("/a/x", json("3"));
    doc.rollback();

    assertThat(Json.bytes(doc.root())).isEqualTo(committed);
    assertThat(doc.dirty()).isFalse();
    assertThat(text(doc.commit())).isEqualTo("{}");
  }

  @Test
  void shouldCopyValuesSoCallersCannotChangeTheDocumentBehindItsBack() {
    TrackedDocument doc = document("{}");
    ObjectNode value = (ObjectNode) json("{\"x\":1}");

    doc.set("/a", value);
    doc.merge("", json("{\"b\":{}}"));
    value.put("x", 2);

    assertThat(text(doc.root())).isEqualTo("{\"a\":{\"x\":1},\"b\":{}}");
  }

  @Test
  void shouldReturnDeltasThatLaterTransactionsDoNotChange() {
    TrackedDocument doc = document("{}");
    doc.set("/a/b", json("1"));
    ObjectNode first = doc.commit();

    doc.set("/a/c", json("2"));
    doc.commit();

    assertThat(text(first)).isEqualTo("{\"a\":{\"b\":1}}");
  }

  @Test
  void shouldKeepObjectsSortedWhateverTheOrderOfWrites() {
    TrackedDocument doc = document("{}");

    doc.set("/z", json("{\"y\":1,\"x\":{\"q\":1,\"p\":2}}"));
    doc.set("/a", new TextNode("first"));

    assertThat(text(doc.root()))
        .isEqualTo("{\"a\":\"first\",\"z\":{\"x\":{\"p\":2,\"q\":1},\"y\":1}}");
  }

  private static void assertPathInvalid(Runnable action) {
    assertThatThrownBy(action::run)
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.PATH_INVALID);
  }
}
