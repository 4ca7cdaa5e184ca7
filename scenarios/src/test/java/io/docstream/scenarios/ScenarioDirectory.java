package io.docstream.scenarios;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** The scenario files of this module: {@code src/test/resources/scenarios/*.yaml}. */
final class ScenarioDirectory {
  private static final String RESOURCE = "/scenarios";

  private ScenarioDirectory() {}

  static List<Scenario> all() {
    URL url = ScenarioDirectory.class.getResource(RESOURCE);
    if (url == null) {
      throw new IllegalStateException(RESOURCE + " is not on the test classpath");
    }
    try {
      return ScenarioFiles.loadAll(Path.of(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate " + url, e);
    }
  }
}
