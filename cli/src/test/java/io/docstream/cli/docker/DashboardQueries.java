package io.docstream.cli.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of the provisioned Grafana dashboard, and the metric selectors in it. */
final class DashboardQueries {
  /** A metric name and, if the query pins them, its exact-match label values. */
  record Selector(String metric, List<String> exactLabels) {}

  private static final Pattern SELECTOR =
      Pattern.compile("\\b((?:docstream|kafka)_[a-zA-Z0-9_]+)(\\{([^}]*)})?");
  private static final Pattern EXACT_LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private DashboardQueries() {}

  static JsonNode dashboard() throws IOException {
    return Json.parse(
        Files.readAllBytes(ComposeFile.DOCKER_DIR.resolve("grafana/dashboards/docstream.json")));
  }

  static List<Selector> selectors() throws IOException {
    List<Selector> out = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = SELECTOR.matcher(target.path("expr").asText());
        while (m.find()) {
          List<String> labels = new ArrayList<>();
          if (m.group(3) != null) {
            Matcher l = EXACT_LABEL.matcher(m.group(3));
            while (l.find()) {
              labels.add(l.group(1) + "=\"" + l.group(2) + "\"");
            }
          }
          out.add(new Selector(m.group(1), labels));
        }
      }
    }
    return out;
  }
}
