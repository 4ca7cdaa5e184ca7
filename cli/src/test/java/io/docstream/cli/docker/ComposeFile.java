package io.docstream.cli.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml as Compose reads it: anchors, aliases and merge keys resolved (SnakeYAML does
 * this), and {@code ${VAR:-default}} replaced by its default, as Compose does when VAR is unset.
 */
final class ComposeFile {
  static final Path DOCKER_DIR = Path.of("..", "docker");
  static final String DOCSTREAM_IMAGE = "docstream:latest";
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");

  private final JsonNode services;

  private ComposeFile(JsonNode services) {
    this.services = services;
  }

  static ComposeFile read() throws IOException {
    return new ComposeFile(yaml("compose.yaml").path("services"));
  }

  /** A YAML file under docker/, as a JSON tree. */
  static JsonNode yaml(String relativePath) throws IOException {
    try (Reader in = Files.newBufferedReader(DOCKER_DIR.resolve(relativePath))) {
      Object loaded = new Yaml().load(in);
      return Json.MAPPER.valueToTree(loaded);
    }
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The services that run the docstream image, by name. */
  Map<String, JsonNode> docstreamServices() {
    Map<String, JsonNode> out = new TreeMap<>();
    services
        .fields()
        .forEachRemaining(
            e -> {
              if (DOCSTREAM_IMAGE.equals(e.getValue().path("image").asText())) {
                out.put(e.getKey(), e.getValue());
              }
            });
    return out;
  }

  static List<String> command(JsonNode service) {
    List<String> args = new ArrayList<>();
    service.path("command").forEach(a -> args.add(a.asText()));
    return args;
  }

  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new TreeMap<>();
    service
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), withDefaults(e.getValue().asText())));
    return env;
  }

  private static String withDefaults(String value) {
    Matcher m = DEFAULTED.matcher(value);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
  }
}
