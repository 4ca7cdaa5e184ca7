package io.docstream.scenarios;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every scenario file on {@code TopologyTestDriver}: one test per file, in the fast phase. */
class ScenariosTest {
  private static final String TARGET = "driver";

  @TempDir Path stateRoot;

  @TestFactory
  Stream<DynamicTest> everyScenarioOnTheTestDriver() {
    DriverTarget target = new DriverTarget(stateRoot);
    return ScenarioDirectory.selected().stream()
        .map(s -> DynamicTest.dynamicTest(s.name(), () -> run(s, target)));
  }

  /**
   * A scenario marked {@code known_bug} is skipped while it fails, and fails once it passes, so
   * that the marker goes when the bug does.
   */
  private static void run(Scenario scenario, DriverTarget target) {
    Optional<String> knownBug = scenario.knownBugOn(TARGET);
    if (knownBug.isEmpty()) {
      ScenarioRunner.run(scenario, target);
      return;
    }
    try {
      ScenarioRunner.run(scenario, target);
    } catch (AssertionError expected) {
      Assumptions.abort("known bug: " + knownBug.get() + "\n" + expected.getMessage());
    }
    fail(scenario.name() + " passes now: remove its known_bug marker (" + knownBug.get() + ")");
  }
}
