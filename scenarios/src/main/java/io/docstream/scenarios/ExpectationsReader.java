package io.docstream.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code then} section of a scenario file into {@link Expectations}. */
final class ExpectationsReader {
  private static final Set<String> THEN = Set.of("deltas", "rejections", "documents");
  private static final Set<String> DELTA = Set.of("seq", "patch", "ids", "ts");
  private static final Set<String> REJECTION = Set.of("doc", "id", "code", "seq", "ts");
  private static final Set<String> DOCUMENT = Set.of("seq", "data");

  private ExpectationsReader() {}

  static Expectations read(Fields r, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw r.fail("then", "is required: a mapping of deltas, rejections and documents");
    }
    r.allowOnly(node, "then", THEN);
    Map<String, List<ObjectNode>> deltas = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : r.mapping(node, "deltas")) {
      String where = "then.deltas." + e.getKey();
      if (!e.getValue().isArray()) {
        throw r.fail(where, "must be a list of deltas ([] for none)");
      }
      List<ObjectNode> list = new ArrayList<>();
      for (int i = 0; i < e.getValue().size(); i++) {
        list.add(delta(r, e.getValue().get(i), where + "[" + i + "]"));
      }
      deltas.put(e.getKey(), list);
    }
    List<Expectations.Rejection> rejections = new ArrayList<>();
    JsonNode list = node.get("rejections");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw r.fail("then.rejections", "must be a list");
      }
      for (int i = 0; i < list.size(); i++) {
        rejections.add(rejection(r, list.get(i), "then.rejections[" + i + "]"));
      }
    }
    Map<String, ObjectNode> documents = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : r.mapping(node, "documents")) {
      String where = "then.documents." + e.getKey();
      JsonNode doc = e.getValue();
      r.allowOnly(doc, where, DOCUMENT);
      ObjectNode expected = Json.object();
      if (doc.has("seq")) {
        expected.put("seq", r.requiredLong(doc, "seq", where));
      }
      JsonNode data = doc.get("data");
      if (data == null || !data.isObject()) {
        throw r.fail(where, "needs data: the final document (an object)");
      }
      expected.set("data", Fields.canonical(data));
      documents.put(e.getKey(), expected);
    }
    return new Expectations(deltas, rejections, documents);
  }

  private static ObjectNode delta(Fields r, JsonNode node, String where) {
    r.allowOnly(node, where, DELTA);
    ObjectNode delta = Json.object();
    delta.put("seq", r.requiredLong(node, "seq", where));
    JsonNode patch = node.get("patch");
    if (patch == null || !patch.isObject()) {
      throw r.fail(where, "needs patch: a JSON merge patch (an object)");
    }
    delta.set("patch", Fields.canonical(patch));
    ArrayNode ids = delta.putArray("ids");
    JsonNode given = node.get("ids");
    if (given != null) {
      if (!given.isArray()) {
        throw r.fail(where + ".ids", "must be a list of message ids");
      }
      given.forEach(id -> ids.add(id.asText()));
    }
    if (node.has("ts")) {
      delta.put("ts", r.requiredLong(node, "ts", where));
    }
    return delta;
  }

  private static Expectations.Rejection rejection(Fields r, JsonNode node, String where) {
    r.allowOnly(node, where, REJECTION);
    ObjectNode fields = Json.object();
    String id = r.optionalText(node, "id", where);
    if (id != null) {
      fields.put("id", id);
    }
    fields.put("code", (int) r.requiredLong(node, "code", where));
    for (String optional : List.of("seq", "ts")) {
      if (node.has(optional)) {
        fields.put(optional, r.requiredLong(node, optional, where));
      }
    }
    return new Expectations.Rejection(r.optionalText(node, "doc", where), fields);
  }
}
