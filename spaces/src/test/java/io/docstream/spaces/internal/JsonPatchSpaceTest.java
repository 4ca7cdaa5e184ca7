package io.docstream.spaces.internal;

import static io.docstream.spaces.SpaceFixture.assertJson;

import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.SpaceFixture;
import org.junit.jupiter.api.Test;

class JsonPatchSpaceTest {
  private final SpaceFixture doc = new SpaceFixture("jsonpatch/d1", new JsonPatchSpace());

  @Test
  void shouldApplyTheBodyAsAJsonPatch() {
    doc.send("alice", "[{\"op\":\"add\",\"path\":\"/v\",\"value\":3}]");

    var delta =
        doc.send(
            "alice",
            "[{\"op\":\"add\",\"path\":\"/w\",\"value\":{\"x\":1}},"
                + "{\"op\":\"move\",\"from\":\"/v\",\"path\":\"/u\"}]");

    assertJson(delta, "{\"w\":{\"x\":1},\"v\":null,\"u\":3}");
  }

  @Test
  void shouldCompareAndSetWithATestOperation() {
    doc.send("alice", "[{\"op\":\"add\",\"path\":\"/v\",\"value\":3}]");
    String casFrom3To4 =
        "[{\"op\":\"test\",\"path\":\"/v\",\"value\":3},"
            + "{\"op\":\"replace\",\"path\":\"/v\",\"value\":4}]";

    assertJson(doc.send("alice", casFrom3To4), "{\"v\":4}");
    doc.reject("bob", casFrom3To4, ErrorCode.JSON_PATCH_TEST_FAILED);
  }

  @Test
  void shouldUndoEarlierOperationsWhenALaterOneFails() {
    doc.send("alice", "[{\"op\":\"add\",\"path\":\"/v\",\"value\":3}]");

    doc.reject(
        "alice",
        "[{\"op\":\"replace\",\"path\":\"/v\",\"value\":9},"
            + "{\"op\":\"remove\",\"path\":\"/missing\"}]",
        ErrorCode.JSON_PATCH_PATH_MISSING);
  }

  @Test
  void shouldRejectAMalformedPatch() {
    doc.reject("alice", "{\"op\":\"add\"}", ErrorCode.JSON_PATCH_INVALID);
    doc.reject("alice", "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]", ErrorCode.JSON_PATCH_INVALID);
  }
}
