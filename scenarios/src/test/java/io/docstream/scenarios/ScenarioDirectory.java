package io.docstream.scenarios;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The scenario files of this module, {@code src/test/resources/scenarios/*.yaml}, read where they
 * are written rather than from the classpath, where a deleted file would live on until a clean.
 */
final class ScenarioDirectory {
  static final String SELECT_PROPERTY = "scenarios";

  private static final String DIRECTORY = "src/test/resources/scenarios";

  private ScenarioDirectory() {}

  /**
   * The files whose name matches the regular expression in the system property {@value
   * #SELECT_PROPERTY} (all when it is unset), e.g. {@code -Dscenarios='cards_.*'}.
   */
  static List<Scenario> selected() {
    Pattern select = Pattern.compile(System.getProperty(SELECT_PROPERTY, ".*"));
    return all().stream().filter(s -> select.matcher(s.name()).matches()).toList();
  }

  static List<Scenario> all() {
    // Maven runs tests in the module directory and also names it in "basedir".
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve(DIRECTORY);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "no scenario directory " + dir.toAbsolutePath() + " (run from the scenarios module)");
    }
    return ScenarioFiles.loadAll(dir);
  }
}
