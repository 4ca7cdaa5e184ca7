package io.docstream.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.Json;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScenarioFilesTest {
  private static final String MINIMAL =
      """
      description: d
      when:
        - {doc: json/a, body: {x: 1}}
      then: {}
      """;

  @Test
  void shouldLetEveryFileShareABrokerWithTheOthers() {
    assertThat(Isolation.violations(ScenarioDirectory.all())).isEmpty();
  }

  @Test
  void shouldCoverEverySpaceWithAtLeastFortyFiles() {
    List<Scenario> all = ScenarioDirectory.all();
    Set<String> spaces = new TreeSet<>();
    all.forEach(
        s -> s.keys().forEach(k -> spaces.add(k.substring(0, Math.max(0, k.indexOf('/'))))));
    assertThat(spaces).contains("json", "jsonpatch", "chat", "todo", "cards");
    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
  }

  @Test
  void shouldWriteMessagesAsTheWireEnvelopeWithTheClockAsDefaultTs() {
    Scenario s =
        ScenarioFiles.parse(
            "clock",
            """
            description: d
            when:
              - {doc: json/a, id: m1, actor: ann, body: {x: 1}}
              - advance_ms: 250
              - {doc: json/a, body: {x: 2}, ts: 5}
              - {key: json/a, value: '{"body":{}}'}
            then: {}
            """);
    List<Step> when = s.when();
    Input first = ((Step.Send) when.get(0)).input();
    assertThat(first.key()).isEqualTo("json/a");
    assertThat(Json.parse(first.value()))
        .isEqualTo(
            Json.parse(
                "{\"id\":\"m1\",\"body\":{\"x\":1},\"actor\":\"ann\",\"ts\":1700000000000}"));
    assertThat(when.get(1)).isEqualTo(new Step.Advance(250));
    assertThat(((Step.Send) when.get(2)).input().timestampMillis()).isEqualTo(5);
    Input raw = ((Step.Send) when.get(3)).input();
    assertThat(raw.value()).isEqualTo("{\"body\":{}}");
    assertThat(raw.timestampMillis()).isEqualTo(Scenario.CLOCK_START_MILLIS + 250);
  }

  @Test
  void shouldExpandRepeatsInStrings() {
    Scenario s =
        ScenarioFiles.parse(
            "repeat",
            """
            description: d
            when:
              - {doc: json/a, body: {blob: "<${repeat:x:3}>"}}
            then: {}
            """);
    assertThat(((Step.Send) s.when().get(0)).input().value()).contains("\"<xxx>\"");
  }

  @Test
  void shouldRefuseAnUnknownFieldNamingFileAndPlace() {
    assertThatThrownBy(
            () ->
                ScenarioFiles.parse(
                    "typo", MINIMAL.replace("{doc: json/a, body:", "{doc: json/a, bdy:")))
        .isInstanceOf(ScenarioFileException.class)
        .hasMessageContaining("typo.yaml: when[0]: unknown field 'bdy'");
  }

  @Test
  void shouldRefuseAKeyWrittenTwice() {
    assertThatThrownBy(
            () ->
                ScenarioFiles.parse(
                    "twice",
                    MINIMAL.replace(
                        "then: {}", "then:\n  deltas:\n    json/a: []\n    json/a: []")))
        .isInstanceOf(ScenarioFileException.class)
        .hasMessageContaining("Duplicate field 'json/a'");
  }

  @Test
  void shouldRefuseTimeToPassInGiven() {
    assertThatThrownBy(
            () ->
                ScenarioFiles.parse(
                    "late", MINIMAL.replace("when:", "given:\n  - advance_ms: 10\nwhen:")))
        .hasMessageContaining("given[0]: advance_ms belongs to when");
  }

  @Test
  void shouldRefuseRejectedInWhenAndTimerIds() {
    assertThatThrownBy(
            () ->
                ScenarioFiles.parse("w", MINIMAL.replace("body: {x: 1}", "body: {}, rejected: 1")))
        .hasMessageContaining("'rejected' belongs to given steps");
    assertThatThrownBy(
            () ->
                ScenarioFiles.parse(
                    "t", MINIMAL.replace("body: {x: 1}", "body: {}, id: 'timer:x'")))
        .hasMessageContaining("are the timers'");
  }

  @Test
  void shouldRefuseARecordWithoutKeyWhoseRejectionCannotBeToldApart() {
    Scenario s =
        ScenarioFiles.parse(
            "nokey",
            """
            description: d
            when:
              - {value: '{"body":{}}'}
            then: {}
            """);
    assertThat(Isolation.violations(List.of(s))).singleElement().asString().contains("needs an id");
  }
}
