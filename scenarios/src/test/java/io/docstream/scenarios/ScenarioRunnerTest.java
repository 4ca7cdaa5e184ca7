package io.docstream.scenarios;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner must catch every kind of difference, or a green scenario means nothing. */
class ScenarioRunnerTest {
  @TempDir Path stateRoot;

  private void run(String yaml) {
    ScenarioRunner.run(ScenarioFiles.parse("runner_check", yaml), new DriverTarget(stateRoot));
  }

  @Test
  void shouldPassWhenEverythingMatches() {
    assertThatCode(
            () ->
                run(
                    """
                    description: d
                    when:
                      - {doc: json/a, id: m1, body: {x: 1.0}}
                    then:
                      deltas:
                        json/a: [{seq: 1, ids: [m1], patch: {x: 1}}]
                      documents:
                        json/a: {seq: 1, data: {x: 1}}
                    """))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldFailOnADifferentPatchNamingTheDocument() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    description: d
                    when:
                      - {doc: json/a, id: m1, body: {x: 1}}
                    then:
                      deltas:
                        json/a: [{seq: 1, ids: [m1], patch: {x: 2}}]
                    """))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("deltas of json/a differ");
  }

  @Test
  void shouldFailOnADeltaThatIsNotExpected() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    description: d
                    when:
                      - {doc: json/a, body: {x: 1}}
                    then: {}
                    """))
        .hasMessageContaining("deltas of json/a differ");
  }

  @Test
  void shouldFailOnAnUnexpectedRejectionOrAMissingSeq() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    description: d
                    when:
                      - {doc: json/a, id: m1, body: [1]}
                    then:
                      deltas: {json/a: []}
                    """))
        .hasMessageContaining("rejections of json/a differ");
    assertThatThrownBy(
            () ->
                run(
                    """
                    description: d
                    given:
                      - {doc: json/b, id: m1, body: {x: 1}}
                    when:
                      - {doc: json/b, id: m1, body: {x: 1}}
                    then:
                      rejections: [{doc: json/b, id: m1, code: 4209}]
                    """))
        .hasMessageContaining("rejections of json/b differ");
  }

  @Test
  void shouldFailWhenAGivenStepIsRejectedWithoutSayingSo() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    description: d
                    given:
                      - {doc: json/a, body: [1]}
                    when:
                      - {doc: json/a, body: {x: 1}}
                    then:
                      deltas: {json/a: [{seq: 1, patch: {x: 1}}]}
                    """))
        .hasMessageContaining("the given steps were rejected with codes [4202] but declare []");
  }

  @Test
  void shouldFailOnADifferentFinalDocument() {
    assertThatThrownBy(
            () ->
                run(
                    """
                    description: d
                    when:
                      - {doc: json/a, body: {x: 1}}
                    then:
                      deltas: {json/a: [{seq: 1, patch: {x: 1}}]}
                      documents: {json/a: {seq: 2, data: {x: 1}}}
                    """))
        .hasMessageContaining("document json/a differ");
  }
}
