package io.docstream.scenarios;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs one scenario on a target: sends the {@code given} steps and checks that they were not
 * rejected (unless a step says so), sends the {@code when} steps, then compares the outputs of
 * {@code when} and the final documents with {@code then}. The same runner serves every target.
 */
public final class ScenarioRunner {
  private ScenarioRunner() {}

  /**
   * @throws AssertionError naming each difference and listing every output, given and when
   */
  public static void run(Scenario scenario, ScenarioTarget target) {
    try (ScenarioTarget.Session session = target.open(scenario)) {
      // Given
      perform(session, scenario.given());
      session.settle();
      int boundary = session.outputs().size();
      List<String> givenProblems = givenRejections(scenario, session.outputs());
      if (!givenProblems.isEmpty()) {
        throw failure(scenario, givenProblems, session.outputs(), boundary);
      }
      // When
      perform(session, scenario.when());
      // Then
      session.await(
          () -> {
            List<Output> all = session.outputs();
            List<String> problems =
                OutcomeCheck.outputs(scenario.then(), all.subList(boundary, all.size()));
            if (problems.isEmpty()) {
              problems = OutcomeCheck.documents(scenario.then(), session::document);
            }
            if (!problems.isEmpty()) {
              throw failure(scenario, problems, all, boundary);
            }
          });
    }
  }

  private static void perform(ScenarioTarget.Session session, List<Step> steps) {
    for (Step step : steps) {
      if (step instanceof Step.Send send) {
        session.send(send.input());
      } else {
        session.advance(((Step.Advance) step).millis());
      }
    }
  }

  /** The given steps' rejections must be exactly those the steps declare, in order. */
  private static List<String> givenRejections(Scenario scenario, List<Output> outputs) {
    List<Integer> declared = new ArrayList<>();
    for (Step step : scenario.given()) {
      if (step instanceof Step.Send send && send.rejectedCode() != null) {
        declared.add(send.rejectedCode());
      }
    }
    List<Integer> actual =
        outputs.stream()
            .filter(Output::isRejection)
            .map(o -> o.value().path("code").asInt())
            .toList();
    if (declared.equals(actual)) {
      return List.of();
    }
    return List.of(
        "the given steps were rejected with codes "
            + actual
            + " but declare "
            + declared
            + " (mark an intended one with rejected: <code>)");
  }

  private static AssertionError failure(
      Scenario scenario, List<String> problems, List<Output> outputs, int boundary) {
    StringBuilder sb = new StringBuilder("scenario ").append(scenario.name()).append(":");
    problems.forEach(p -> sb.append("\n  ").append(p));
    sb.append("\n  every output (").append(boundary).append(" from given):");
    for (int i = 0; i < outputs.size(); i++) {
      sb.append("\n    ").append(i < boundary ? "given " : "when  ").append(outputs.get(i));
    }
    return new AssertionError(sb.toString());
  }
}
