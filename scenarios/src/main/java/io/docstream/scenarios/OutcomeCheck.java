package io.docstream.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares what a target produced with what {@code then} expects, exactly: every delta and every
 * rejection of the {@code when} steps must be expected, in order per key, and nothing expected may
 * be missing. Numbers compare by value (1 equals 1.0).
 */
final class OutcomeCheck {
  private static final String NO_KEY = "(no key)";
  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private OutcomeCheck() {}

  /** The differences between {@code then} and the outputs of the {@code when} steps. */
  static List<String> outputs(Expectations then, List<Output> outputs) {
    List<String> problems = new ArrayList<>();
    Map<String, List<JsonNode>> deltas = byKey(outputs, Output.Kind.DELTA);
    TreeSet<String> keys = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
    keys.addAll(deltas.keySet());
    keys.addAll(then.deltas().keySet());
    for (String key : keys) {
      List<ObjectNode> expected = then.deltas().getOrDefault(key, List.of());
      List<JsonNode> actual = deltas.getOrDefault(key, List.of());
      compare("deltas of " + shown(key), expected, project(actual, expected, "seq", "patch", "ids"))
          .ifPresent(problems::add);
    }
    Map<String, List<ObjectNode>> expectedRejections = new LinkedHashMap<>();
    then.rejections()
        .forEach(
            r ->
                expectedRejections
                    .computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(r.fields()));
    Map<String, List<JsonNode>> rejections = byKey(outputs, Output.Kind.REJECTION);
    keys.clear();
    keys.addAll(rejections.keySet());
    keys.addAll(expectedRejections.keySet());
    for (String key : keys) {
      List<ObjectNode> expected = expectedRejections.getOrDefault(key, List.of());
      List<JsonNode> actual = rejections.getOrDefault(key, List.of());
      compare(
              "rejections of " + shown(key),
              expected,
              project(actual, expected, "code", "id", "seq"))
          .ifPresent(problems::add);
    }
    return problems;
  }

  /** The differences between {@code then.documents} and the documents {@code reader} serves. */
  static List<String> documents(Expectations then, Function<String, Optional<ObjectNode>> reader) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e : then.documents().entrySet()) {
      Optional<ObjectNode> actual = reader.apply(e.getKey());
      if (actual.isEmpty()) {
        problems.add("document " + e.getKey() + " cannot be read yet");
        continue;
      }
      ObjectNode expected = e.getValue();
      ObjectNode shown = Json.object();
      if (expected.has("seq")) {
        shown.set("seq", actual.get().get("seq"));
      }
      shown.set("data", actual.get().get("data"));
      compare("document " + e.getKey(), List.of(expected), List.of(shown)).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * Cuts each output down to the fields that are compared: {@code always} when present, and any
   * other field the expectation at the same position names (such as {@code ts}).
   */
  private static List<JsonNode> project(
      List<JsonNode> actual, List<ObjectNode> expected, String... always) {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < actual.size(); i++) {
      JsonNode value = actual.get(i);
      ObjectNode cut = Json.object();
      for (String field : always) {
        if (value.hasNonNull(field)) {
          cut.set(field, value.get(field));
        }
      }
      if (i < expected.size()) {
        expected.get(i).fieldNames().forEachRemaining(f -> cut.set(f, value.get(f)));
      }
      out.add(cut);
    }
    return out;
  }

  private static Optional<String> compare(
      String what, List<? extends JsonNode> expected, List<? extends JsonNode> actual) {
    ArrayNode want = Json.NODES.arrayNode().addAll(List.copyOf(expected));
    ArrayNode got = Json.NODES.arrayNode().addAll(List.copyOf(actual));
    if (want.equals(BY_VALUE, got)) {
      return Optional.empty();
    }
    return Optional.of(
        what + " differ\n    expected: " + lines(want) + "\n    actual:   " + lines(got));
  }

  private static String lines(ArrayNode list) {
    if (list.size() <= 1) {
      return Json.text(list);
    }
    StringBuilder sb = new StringBuilder("[");
    list.forEach(item -> sb.append("\n      ").append(Json.text(item)));
    return sb.append("\n    ]").toString();
  }

  private static Map<String, List<JsonNode>> byKey(List<Output> outputs, Output.Kind kind) {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    for (Output o : outputs) {
      if (o.kind() == kind) {
        out.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o.value());
      }
    }
    return out;
  }

  static String shown(String key) {
    return key == null ? NO_KEY : key;
  }
}
