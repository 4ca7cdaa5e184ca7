package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.DocumentEntries;
import io.docstream.state.StoreNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message whose commit fails after its logic ran changes neither the cache nor any store. */
class AtomicApplyTest {
  @TempDir Path stateDir;
  private TopologyFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private TopologyFixture fixture() {
    f =
        new TopologyFixture(
            stateDir, Map.of("spaces.fault.logic", CommitFaultSpace.class.getName()));
    return f;
  }

  private String stored(String doc) {
    return Json.text(DocumentEntries.load(f.driver.getKeyValueStore(StoreNames.DOCS), doc).root());
  }

  private static String nested(int levels) {
    return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
  }

  @Test
  void shouldRejectACopyThatNestsTheDocumentTooDeepAndKeepItAsItWas() {
    fixture();
    f.send(
        "jsonpatch/d",
        "p1",
        "[{\"op\":\"add\",\"path\":\"/n\",\"value\":" + nested(59) + "}]",
        null,
        1);
    String before = stored("jsonpatch/d");
    f.send(
        "jsonpatch/d",
        "p2",
        "[{\"op\":\"copy\",\"from\":\"/n\",\"path\":\"/n" + "/a".repeat(58) + "/copy\"}]",
        null,
        2);
    f.send(
        "jsonpatch/d",
        "p3",
        "[{\"op\":\"remove\",\"path\":\"/n" + "/a".repeat(58) + "/copy\"}]",
        null,
        3);
    f.send("jsonpatch/d", "p4", "[{\"op\":\"add\",\"path\":\"/ok\",\"value\":1}]", null, 4);

    assertThat(f.rejections())
        .extracting(r -> r.value().get("code").intValue())
        .as("the copy is in neither the store nor the cache")
        .containsExactly(
            ErrorCode.DOCUMENT_TOO_DEEP.code(), ErrorCode.JSON_PATCH_PATH_MISSING.code());
    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).extracting(d -> d.value().get("seq").longValue()).containsExactly(1L, 2L);
    assertThat(deltas.get(1).value().get("patch")).isEqualTo(Json.parse("{\"ok\":1}"));
    assertThat(Json.parse(stored("jsonpatch/d")))
        .isEqualTo(((ObjectNode) Json.parse(before)).put("ok", 1));
  }

  @Test
  void shouldRejectAChangeThatCannotBeSerializedAndForgetItInTheCache() {
    fixture();
    f.send("fault/a", "v", "{\"fail\":\"value\"}", null, 1);
    f.send("fault/a", "ok", "{}", null, 2);

    assertThat(f.rejections())
        .extracting(r -> r.value().get("code").intValue())
        .containsExactly(ErrorCode.CHANGE_NOT_STORABLE.code());
    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).hasSize(1);
    assertThat(deltas.get(0).value().get("patch"))
        .as("the rejected message's write to /touched is not in the cache")
        .isEqualTo(Json.parse("{\"ok\":1,\"touched\":1}"));
  }

  @Test
  void shouldScheduleNoTimerWhenOneOfAMessagesTimersCannotBeSerialized() {
    fixture();
    f.send("fault/a", "t", "{\"fail\":\"timer\"}", null, 1_700_000_000_000L);
    f.driver.advanceWallClockTime(Duration.ofSeconds(5));
    f.send("fault/a", "ok", "{}", null, 1_700_000_000_001L);

    assertThat(f.rejections())
        .extracting(r -> r.value().get("code").intValue())
        .containsExactly(ErrorCode.CHANGE_NOT_STORABLE.code());
    assertThat(f.deltas())
        .extracting(d -> d.value().get("ids").get(0).textValue())
        .as("no timer fired")
        .containsExactly("ok");
  }
}
