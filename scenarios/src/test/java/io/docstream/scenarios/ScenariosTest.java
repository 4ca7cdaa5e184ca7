package io.docstream.scenarios;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every scenario file on {@code TopologyTestDriver}: one test per file, in the fast phase. */
class ScenariosTest {
  @TempDir Path stateRoot;

  @TestFactory
  Stream<DynamicTest> everyScenarioOnTheTestDriver() {
    DriverTarget target = new DriverTarget(stateRoot);
    return ScenarioDirectory.all().stream()
        .map(s -> DynamicTest.dynamicTest(s.name(), () -> run(s, target)));
  }

  /**
   * A scenario marked {@code known_bug} is skipped while it fails, and fails once it passes, so
   * that the marker goes when the bug does.
   */
  private static void run(Scenario scenario, DriverTarget target) {
    if (scenario.knownBug() == null) {
      ScenarioRunner.run(scenario, target);
      return;
    }
    try {
      ScenarioRunner.run(scenario, target);
    } catch (AssertionError expected) {
      Assumptions.abort("known bug: " + scenario.knownBug() + "\n" + expected.getMessage());
    }
    fail(
        scenario.name() + " passes now: remove its known_bug marker (" + scenario.knownBug() + ")");
  }
}
