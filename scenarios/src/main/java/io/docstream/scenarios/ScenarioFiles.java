package io.docstream.scenarios;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads scenario files (YAML, format in the module's README.md) strictly: an unknown field, a value
 * of the wrong type or a missing one fails with the file name and where in the file.
 */
public final class ScenarioFiles {
  public static final String EXTENSION = ".yaml";

  /** A key written twice would silently lose the first value, an expectation perhaps. */
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(.):(\\d{1,7})}");
  private static final Set<String> TOP =
      Set.of("description", "known_bug", "config", "given", "when", "then");
  private static final Set<String> MESSAGE = Set.of("doc", "id", "actor", "ts", "body", "rejected");
  private static final Set<String> RAW = Set.of("key", "value", "ts", "rejected");

  private ScenarioFiles() {}

  /** Every {@code *.yaml} file in {@code dir}, in name order. */
  public static List<Scenario> loadAll(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(EXTENSION))
          .sorted()
          .map(ScenarioFiles::load)
          .toList();
    } catch (IOException e) {
      throw new ScenarioFileException("cannot list scenario files in " + dir + ": " + e, e);
    }
  }

  public static Scenario load(Path file) {
    String fileName = file.getFileName().toString();
    try {
      return parse(
          fileName.substring(0, fileName.length() - EXTENSION.length()), Files.readString(file));
    } catch (IOException e) {
      throw new ScenarioFileException("cannot read " + file + ": " + e, e);
    }
  }

  /** Parses the text of the file {@code name}{@value #EXTENSION}. */
  public static Scenario parse(String name, String yaml) {
    Fields r = new Fields(name + EXTENSION);
    if (!NAME.matcher(name).matches()) {
      throw r.fail("", "the file name must be snake_case ([a-z][a-z0-9_]*.yaml)");
    }
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ScenarioFileException(r.file() + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw r.fail("", "the file must be a YAML mapping");
    }
    r.allowOnly(root, "", TOP);
    root = expandRepeats(root);
    Steps steps = new Steps(r);
    List<Step> given = steps.read(root.get("given"), "given", true);
    List<Step> when = steps.read(root.get("when"), "when", false);
    if (when.isEmpty()) {
      throw r.fail("when", "needs at least one step");
    }
    return new Scenario(
        name,
        r.requiredText(root, "description", ""),
        knownBug(r, root.get("known_bug")),
        config(r, root.get("config")),
        given,
        when,
        ExpectationsReader.read(r, root.get("then")));
  }

  /** {@code known_bug: "reason"}, or {@code known_bug: {reason: "...", targets: [broker]}}. */
  private static Scenario.KnownBug knownBug(Fields r, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return new Scenario.KnownBug(node.textValue(), Set.of());
    }
    r.allowOnly(node, "known_bug", Set.of("reason", "targets"));
    Set<String> targets = new TreeSet<>();
    JsonNode list = node.path("targets");
    if (!list.isArray() || list.isEmpty()) {
      throw r.fail("known_bug.targets", "must list some of " + new TreeSet<>(Scenario.TARGETS));
    }
    for (JsonNode target : list) {
      if (!Scenario.TARGETS.contains(target.asText())) {
        throw r.fail("known_bug.targets", "unknown target '" + target.asText() + "'");
      }
      targets.add(target.asText());
    }
    return new Scenario.KnownBug(r.requiredText(node, "reason", "known_bug"), targets);
  }

  private static Map<String, String> config(Fields r, JsonNode node) {
    Map<String, String> config = new TreeMap<>();
    if (node == null || node.isNull()) {
      return config;
    }
    if (!node.isObject()) {
      throw r.fail("config", "must be a mapping of processor settings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw r.fail("config." + e.getKey(), "must be a plain value");
      }
      config.put(e.getKey(), e.getValue().asText());
    }
    return config;
  }

  /** Reads the steps of {@code given} or {@code when}, keeping the scenario clock. */
  private static final class Steps {
    private final Fields r;
    private long clock = Scenario.CLOCK_START_MILLIS;

    Steps(Fields r) {
      this.r = r;
    }

    List<Step> read(JsonNode node, String where, boolean given) {
      List<Step> steps = new ArrayList<>();
      if (node == null || node.isNull()) {
        return steps;
      }
      if (!node.isArray()) {
        throw r.fail(where, "must be a list of steps");
      }
      for (int i = 0; i < node.size(); i++) {
        steps.add(step(node.get(i), where + "[" + i + "]", given));
      }
      return steps;
    }

    private Step step(JsonNode node, String where, boolean given) {
      if (!node.isObject()) {
        throw r.fail(where, "a step is a mapping");
      }
      if (node.has("advance_ms")) {
        if (given) {
          // Timer outputs have no record to wait for, so on a broker they could arrive after the
          // given/when boundary; in when they are compared like everything else.
          throw r.fail(where, "advance_ms belongs to when, where the timers' outputs are checked");
        }
        r.allowOnly(node, where, Set.of("advance_ms"));
        long millis = r.requiredLong(node, "advance_ms", where);
        if (millis <= 0) {
          throw r.fail(where, "advance_ms must be positive");
        }
        clock += millis;
        return new Step.Advance(millis);
      }
      Integer rejected = null;
      if (node.has("rejected")) {
        if (!given) {
          throw r.fail(where, "'rejected' belongs to given steps; list when's in then.rejections");
        }
        rejected = (int) r.requiredLong(node, "rejected", where);
      }
      Input input = node.has("value") ? raw(node, where) : message(node, where);
      if (input.id() != null && input.id().startsWith(Output.TIMER_ID_PREFIX)) {
        throw r.fail(where, "ids starting with '" + Output.TIMER_ID_PREFIX + "' are the timers'");
      }
      return new Step.Send(input, rejected);
    }

    private Input message(JsonNode node, String where) {
      r.allowOnly(node, where, MESSAGE);
      String doc = r.requiredText(node, "doc", where);
      String id = r.optionalText(node, "id", where);
      String actor = r.optionalText(node, "actor", where);
      long ts = node.has("ts") ? r.requiredLong(node, "ts", where) : clock;
      JsonNode body = node.get("body");
      if (body == null || body.isNull()) {
        throw r.fail(where, "a message needs a body (send a record without one as key/value)");
      }
      String value = Json.text(new Command(id, Fields.canonical(body), actor, ts, null));
      return new Input(doc, value, ts, id, doc);
    }

    private Input raw(JsonNode node, String where) {
      r.allowOnly(node, where, RAW);
      String key = r.optionalText(node, "key", where);
      String value = r.requiredText(node, "value", where);
      long ts = node.has("ts") ? r.requiredLong(node, "ts", where) : clock;
      String id = null;
      String doc = null;
      try {
        JsonNode parsed = Json.MAPPER.readTree(value);
        if (parsed != null && parsed.isObject()) {
          id = parsed.path("id").isTextual() ? parsed.get("id").textValue() : null;
          doc = parsed.path("doc").isTextual() ? parsed.get("doc").textValue() : null;
        }
      } catch (JsonProcessingException e) {
        // a value that is not JSON on purpose: it carries no id and names no document
      }
      return new Input(key, value, ts, id, doc);
    }
  }

  /** Replaces {@code ${repeat:x:1100}} in every string with 1100 x's (for size limits). */
  static JsonNode expandRepeats(JsonNode node) {
    if (node.isTextual()) {
      Matcher m = REPEAT.matcher(node.textValue());
      if (!m.find()) {
        return node;
      }
      StringBuilder out = new StringBuilder();
      do {
        m.appendReplacement(
            out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
      } while (m.find());
      m.appendTail(out);
      return Json.NODES.textNode(out.toString());
    }
    if (node.isObject()) {
      ObjectNode copy = Json.object();
      node.properties().forEach(e -> copy.set(e.getKey(), expandRepeats(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = Json.NODES.arrayNode();
      node.forEach(child -> copy.add(expandRepeats(child)));
      return copy;
    }
    return node;
  }
}
