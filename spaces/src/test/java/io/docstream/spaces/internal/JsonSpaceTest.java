package io.docstream.spaces.internal;

import static io.docstream.spaces.SpaceFixture.assertJson;

import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.SpaceFixture;
import org.junit.jupiter.api.Test;

class JsonSpaceTest {
  private final SpaceFixture doc = new SpaceFixture("json/d1", new JsonSpace());

  @Test
  void shouldApplyTheBodyAsAMergePatchAtTheRoot() {
    doc.send("alice", "{\"a\":{\"b\":1,\"c\":2},\"d\":true}");

    var delta = doc.send("alice", "{\"a\":{\"b\":null,\"e\":3}}");

    assertJson(delta, "{\"a\":{\"b\":null,\"e\":3}}");
    assertJson(doc.root(), "{\"a\":{\"c\":2,\"e\":3},\"d\":true}");
  }

  @Test
  void shouldNotNeedAnActor() {
    assertJson(doc.send(null, "{\"x\":1}"), ("{\"x\":1}"));
  }

  @Test
  void shouldRejectABodyThatIsNotAnObject() {
    doc.send("alice", "{\"a\":1}");

    doc.reject("alice", "[1,2]", ErrorCode.PATCH_NOT_OBJECT);
    doc.reject("alice", "\"text\"", ErrorCode.PATCH_NOT_OBJECT);
    doc.reject("alice", "null", ErrorCode.PATCH_NOT_OBJECT);
  }
}
