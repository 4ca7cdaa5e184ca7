package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.DocumentEntries;
import io.docstream.state.StoreNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocTopologyTest {
  @TempDir Path stateDir;
  private TopologyFixture fixture;

  private TopologyFixture fixture(Map<String, String> settings) {
    fixture = new TopologyFixture(stateDir, settings);
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void shouldPublishMergePatchDeltasWithGapFreeSeq() {
    TopologyFixture f = fixture(Map.of());
    f.send("json/a", "m1", "{\"x\":1,\"y\":{\"z\":2}}", null, 10);
    f.send("json/a", "m2", "{\"y\":{\"z\":null},\"w\":true}", null, 11);
    f.send("json/b", null, "{\"k\":\"v\"}", null, 12);

    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas)
        .extracting(TopologyFixture.Out::key)
        .containsExactly("json/a", "json/a", "json/b");
    assertThat(deltas)
        .allSatisfy(d -> assertThat(d.value().get("hash").textValue()).matches("[0-9a-f]{16}"));
    deltas.forEach(d -> ((ObjectNode) d.value()).remove("hash"));
    assertThat(deltas.get(0).value())
        .isEqualTo(
            Json.parse(
                "{\"seq\":1,\"patch\":{\"x\":1,\"y\":{\"z\":2}},\"ids\":[\"m1\"],\"ts\":10}"));
    assertThat(deltas.get(1).value())
        .isEqualTo(
            Json.parse(
                "{\"seq\":2,\"patch\":{\"y\":{\"z\":null},\"w\":true},\"ids\":[\"m2\"],\"ts\":11}"));
    assertThat(deltas.get(2).value().get("seq").longValue()).isEqualTo(1);
    assertThat(deltas.get(2).value().get("ids")).isEmpty();
  }

  @Test
  void shouldKeepArraysAsWrittenNullsIncludedInDeltasAndStoredEntries() {
    TopologyFixture f = fixture(Map.of());
    String list = "[null,{\"a\":null,\"b\":[{\"c\":null}]}]";
    f.send("json/a", "m1", "{\"list\":" + list + ",\"gone\":null}", null, 10);
    f.send("json/a", "m2", "{\"other\":1}", null, 11);

    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas.get(0).value().get("patch")).isEqualTo(Json.parse("{\"list\":" + list + "}"));
    assertThat(DocumentEntries.load(f.driver.getKeyValueStore(StoreNames.DOCS), "json/a").root())
        .isEqualTo(Json.parse("{\"list\":" + list + ",\"other\":1}"));
  }

  @Test
  void shouldAnswerAResentIdWithDuplicateNamingItsSeq() {
    TopologyFixture f = fixture(Map.of());
    f.send("json/a", "m1", "{\"x\":1}", null, 10);
    f.send("json/a", "m1", "{\"x\":2}", null, 11);

    assertThat(f.deltas()).hasSize(1);
    TopologyFixture.Out rejection = f.rejections().get(0);
    assertThat(rejection.value().get("code").intValue()).isEqualTo(ErrorCode.DUPLICATE.code());
    assertThat(rejection.value().get("seq").longValue()).isEqualTo(1);
    assertThat(rejection.value().get("id").textValue()).isEqualTo("m1");
  }

  @Test
  void shouldForgetIdsBeyondTheDedupeWindow() {
    TopologyFixture f = fixture(Map.of("dedupe.window.messages", "2", "dedupe.window.ms", "0"));
    f.send("json/a", "m1", "{\"x\":1}", null, 10);
    f.send("json/a", "m2", "{\"x\":2}", null, 11);
    f.send("json/a", "m3", "{\"x\":3}", null, 12);
    f.send("json/a", "m1", "{\"x\":4}", null, 13);

    assertThat(f.deltas()).hasSize(4);
    assertThat(f.rejections()).isEmpty();
  }

  @Test
  void shouldRekeyARecordWithoutKeyThatNamesItsDocument() {
    TopologyFixture f = fixture(Map.of());
    f.sendRaw(
        null,
        "{\"doc\":\"json/lobby\",\"body\":{\"a\":1},\"id\":\"k1\"}"
            .getBytes(StandardCharsets.UTF_8));

    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).hasSize(1);
    assertThat(deltas.get(0).key()).isEqualTo("json/lobby");
    assertThat(deltas.get(0).value().get("patch")).isEqualTo(Json.parse("{\"a\":1}"));
  }

  @Test
  void shouldRejectMalformedRecordsAndKeepProcessing() {
    TopologyFixture f = fixture(Map.of());
    f.sendRaw(
        "json/a".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
    f.sendRaw(
        "badkey".getBytes(StandardCharsets.UTF_8),
        "{\"body\":{}}".getBytes(StandardCharsets.UTF_8));
    f.sendRaw(new byte[] {(byte) 0xC3, 0x28}, "{\"body\":{}}".getBytes(StandardCharsets.UTF_8));
    f.send("nospace/a", "n1", "{}", null, 1);
    f.send("json/a", "ok", "{\"fine\":1}", null, 2);

    assertThat(f.rejections())
        .extracting(r -> r.value().get("code").intValue())
        .containsExactly(
            ErrorCode.RECORD_NOT_JSON.code(),
            ErrorCode.DOC_KEY_INVALID.code(),
            ErrorCode.DOC_KEY_INVALID.code(),
            ErrorCode.SPACE_UNKNOWN.code());
    assertThat(f.deltas()).hasSize(1);
  }

  @Test
  void shouldChangeNothingWhenAMessageIsRejected() {
    TopologyFixture f = fixture(Map.of());
    f.send("jsonpatch/a", "p1", "[{\"op\":\"add\",\"path\":\"/v\",\"value\":1}]", null, 1);
    f.send(
        "jsonpatch/a",
        "p2",
        "[{\"op\":\"add\",\"path\":\"/w\",\"value\":9},{\"op\":\"test\",\"path\":\"/v\",\"value\":2}]",
        null,
        2);
    f.send("jsonpatch/a", "p3", "[{\"op\":\"replace\",\"path\":\"/v\",\"value\":3}]", null, 3);

    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).hasSize(2);
    assertThat(deltas.get(1).value().get("seq").longValue()).isEqualTo(2);
    assertThat(deltas.get(1).value().get("patch")).isEqualTo(Json.parse("{\"v\":3}"));
    assertThat(f.rejections().get(0).value().get("code").intValue())
        .isEqualTo(ErrorCode.JSON_PATCH_TEST_FAILED.code());
  }

  @Test
  void shouldFireADurableTimerExactlyOnceThroughTheCommandsTopic() {
    TopologyFixture f = fixture(Map.of("spaces.tick.logic", TickSpace.class.getName()));
    f.send("tick/t", "arm", "{\"arm\":5000}", null, 1_700_000_000_000L);
    f.driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(f.deltas()).hasSize(1);

    f.driver.advanceWallClockTime(Duration.ofSeconds(5));
    f.driver.advanceWallClockTime(Duration.ofSeconds(5));
    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).hasSize(1);
    assertThat(deltas.get(0).value().get("patch"))
        .isEqualTo(Json.parse("{\"lastTickTs\":1700000005000,\"ticks\":1}"));
    assertThat(deltas.get(0).value().get("ids").get(0).textValue())
        .isEqualTo("timer:tick:1700000005000:1");
  }

  @Test
  void shouldFireATimerReArmedForTheSameTimeAgain() {
    TopologyFixture f = fixture(Map.of("spaces.tick.logic", TickSpace.class.getName()));
    f.send("tick/t", "arm1", "{\"arm\":5000}", null, 1_700_000_000_000L);
    f.driver.advanceWallClockTime(Duration.ofSeconds(6));
    f.send("tick/t", "arm2", "{\"arm\":5000}", null, 1_700_000_000_000L);
    f.driver.advanceWallClockTime(Duration.ofSeconds(1));

    assertThat(f.rejections()).isEmpty();
    assertThat(f.deltas())
        .extracting(d -> d.value().get("ids").get(0).textValue())
        .containsExactly(
            "arm1", "timer:tick:1700000005000:1", "arm2", "timer:tick:1700000005000:3");
  }

  @Test
  void shouldRejectAMessageThatWouldOutgrowTheDocumentLimit() {
    TopologyFixture f = fixture(Map.of("max.document.bytes", "2048"));
    f.send("json/a", "small", "{\"a\":1}", null, 1);
    f.send("json/a", "big", "{\"b\":\"" + "x".repeat(3000) + "\"}", null, 2);
    f.send("json/a", "next", "{\"c\":1}", null, 3);

    assertThat(f.rejections().get(0).value().get("code").intValue())
        .isEqualTo(ErrorCode.DOCUMENT_TOO_LARGE.code());
    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).extracting(d -> d.value().get("seq").longValue()).containsExactly(1L, 2L);
    assertThat(deltas.get(1).value().get("patch")).isEqualTo(Json.parse("{\"c\":1}"));
  }

  @Test
  void shouldRejectWithLogicFailedAndChangeNothingWhenLogicThrows() {
    TopologyFixture f = fixture(Map.of("spaces.faulty.logic", FaultySpace.class.getName()));
    f.send("faulty/a", "t", "{\"fail\":\"throw\"}", null, 1);
    f.send("faulty/a", "r", "{\"fail\":\"recurse\"}", null, 2);
    f.send("faulty/a", "ok", "{}", null, 3);

    assertThat(f.rejections())
        .extracting(r -> r.value().get("code").intValue())
        .containsExactly(ErrorCode.LOGIC_FAILED.code(), ErrorCode.LOGIC_FAILED.code());
    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas).hasSize(1);
    assertThat(deltas.get(0).value().get("seq").longValue()).isEqualTo(1);
    assertThat(deltas.get(0).value().get("patch"))
        .isEqualTo(Json.parse("{\"ok\":1,\"touched\":1}"));
  }
}
