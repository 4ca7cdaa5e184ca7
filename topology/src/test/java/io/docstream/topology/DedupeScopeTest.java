package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Message ids are unique per (document, actor, id), kept for a count and a time. */
class DedupeScopeTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path stateDir;
  private TopologyFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private TopologyFixture fixture(Map<String, String> settings) {
    f = new TopologyFixture(stateDir, settings);
    return f;
  }

  private static List<Integer> codes(List<TopologyFixture.Out> rejections) {
    return rejections.stream().map(r -> r.value().get("code").intValue()).toList();
  }

  @Test
  void shouldApplyAnotherActorsReusedIdAndAnswerTheSendersResendAsDuplicate() {
    fixture(Map.of());
    f.send("json/a", "m-1", "{\"alice\":1}", "alice", 1);
    f.send("json/a", "m-1", "{\"bob\":1}", "bob", 2);
    f.send("json/a", "m-1", "{\"anon\":1}", null, 3);
    f.send("json/a", "m-1", "{\"alice\":2}", "alice", 4);

    List<TopologyFixture.Out> deltas = f.deltas();
    assertThat(deltas)
        .extracting(d -> d.value().path("actor").asText(null))
        .containsExactly("alice", "bob", null);
    List<TopologyFixture.Out> rejections = f.rejections();
    assertThat(codes(rejections)).containsExactly(ErrorCode.DUPLICATE.code());
    assertThat(rejections.get(0).value().get("seq").longValue()).isEqualTo(1);
    assertThat(rejections.get(0).value().get("actor").textValue()).isEqualTo("alice");
  }

  @Test
  void shouldKeepIdsForTheTimeWindowAfterTheCountWindowPassed() {
    fixture(Map.of("dedupe.window.messages", "2", "dedupe.window.ms", "60000"));
    f.send("json/a", "m1", "{\"x\":1}", "alice", T0);
    for (int i = 2; i <= 5; i++) {
      f.send("json/a", "m" + i, "{\"x\":" + i + "}", "alice", T0 + i);
    }
    f.send("json/a", "m1", "{\"x\":\"again\"}", "alice", T0 + 10);
    assertThat(codes(f.rejections())).containsExactly(ErrorCode.DUPLICATE.code());

    f.send("json/a", "m6", "{\"x\":6}", "alice", T0 + 60_000);
    f.send("json/a", "m7", "{\"x\":7}", "alice", T0 + 60_001);
    f.send("json/a", "m1", "{\"x\":\"again\"}", "alice", T0 + 60_002);
    assertThat(f.rejections()).isEmpty();
    assertThat(f.deltas()).hasSize(8);
  }

  @Test
  void shouldRejectAClientIdInTheTimerNamespaceAndStillFireTheRealTimer() {
    fixture(Map.of("spaces.tick.logic", TickSpace.class.getName()));
    f.send("tick/t", "arm", "{\"arm\":5000}", "alice", T0);
    f.send("tick/t", "timer:tick:" + (T0 + 5000) + ":1", "{}", "alice", T0 + 1);
    f.send("tick/t", "timer:x", "{}", null, T0 + 2);
    f.driver.advanceWallClockTime(Duration.ofSeconds(6));

    assertThat(codes(f.rejections()))
        .containsExactly(
            ErrorCode.MESSAGE_ID_RESERVED.code(), ErrorCode.MESSAGE_ID_RESERVED.code());
    assertThat(f.deltas())
        .extracting(d -> d.value().get("ids").get(0).textValue())
        .containsExactly("arm", "timer:tick:" + (T0 + 5000) + ":1");
  }
}
