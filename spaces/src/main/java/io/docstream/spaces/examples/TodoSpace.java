package io.docstream.spaces.examples;

import static io.docstream.spaces.internal.Pointers.pointer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.Document;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.spaces.MessageContext;
import io.docstream.spaces.SpaceLogic;
import io.docstream.spaces.internal.Bodies;
import io.docstream.spaces.internal.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A shared todo list.
 *
 * <p>Messages:
 *
 * <pre>
 * {"op": "add", "title": "buy milk"}
 * {"op": "toggle", "id": "0000000001"}
 * {"op": "rename", "id": "0000000001", "title": "buy oat milk"}
 * {"op": "remove", "id": "0000000001"}
 * {"op": "clear-done"}
 * </pre>
 *
 * <p>A title has 1-500 characters and is not blank ({@link ErrorCode#TODO_TITLE_INVALID}); an
 * unknown id is {@link ErrorCode#TODO_ITEM_MISSING}; an unknown op, a missing field or an extra one
 * is {@link ErrorCode#BODY_INVALID}. No actor is needed; when there is one, {@code add} records it.
 *
 * <p>Document:
 *
 * <pre>
 * /items/{id}  {"title": "...", "done": false, "ts": created millis, "by": actor (if any)}
 * /next        the counter the next id is made from; ids are zero-padded ("0000000001") so key
 *              order is creation order
 * </pre>
 */
public final class TodoSpace implements SpaceLogic {
  public static final int MAX_TITLE_CHARS = 500;

  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "add", Set.of("op", "title"),
          "toggle", Set.of("op", "id"),
          "rename", Set.of("op", "id", "title"),
          "remove", Set.of("op", "id"),
          "clear-done", Set.of("op"));

  /** Takes no options; refuses any, so a misspelt one is not silently ignored. */
  @Override
  public void configure(Map<String, String> options) {
    Options.of(options, Set.of());
  }

  @Override
  public void apply(MessageContext ctx, Document doc) {
    JsonNode body = ctx.body();
    String op = Bodies.op(body, FIELDS);
    switch (op) {
      case "add" -> add(ctx, doc, title(ctx));
      case "toggle" -> {
        String item = existing(ctx, doc);
        boolean done = doc.get(item + "/done").asBoolean();
        doc.set(item + "/done", Json.NODES.booleanNode(!done));
      }
      case "rename" -> {
        String item = existing(ctx, doc);
        doc.set(item + "/title", Json.NODES.textNode(title(ctx)));
      }
      case "remove" -> doc.remove(existing(ctx, doc));
      case "clear-done" -> clearDone(doc);
      default -> throw new IllegalStateException("op without a case: " + op);
    }
  }

  private static void add(MessageContext ctx, Document doc, String title) {
    long n = doc.has("/next") ? doc.get("/next").asLong() : 1;
    ObjectNode item = Json.object().put("title", title).put("done", false);
    item.put("ts", ctx.timestampMillis());
    if (ctx.actor() != null) {
      item.put("by", ctx.actor());
    }
    doc.set(pointer("items", String.format(Locale.ROOT, "%010d", n)), item);
    doc.set("/next", Json.NODES.numberNode(n + 1));
  }

  private static void clearDone(Document doc) {
    JsonNode items = doc.get("/items");
    if (items == null) {
      return;
    }
    List<String> done = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : items.properties()) {
      if (e.getValue().path("done").asBoolean()) {
        done.add(e.getKey());
      }
    }
    for (String id : done) {
      doc.remove(pointer("items", id));
    }
  }

  private static String existing(MessageContext ctx, Document doc) {
    String id = Bodies.text(ctx.body(), "id");
    String item = pointer("items", id);
    if (!doc.has(item)) {
      throw ctx.reject(ErrorCode.TODO_ITEM_MISSING, "no item " + abbreviate(id));
    }
    return item;
  }

  private static String title(MessageContext ctx) {
    JsonNode title = ctx.body().get("title");
    if (title == null) {
      throw ctx.reject(ErrorCode.BODY_INVALID, "the body needs a field \"title\"");
    }
    if (!title.isTextual() || !Bodies.hasLength(title.textValue(), 1, MAX_TITLE_CHARS)) {
      throw ctx.reject(
          ErrorCode.TODO_TITLE_INVALID,
          "title must be a non-blank text of 1-" + MAX_TITLE_CHARS + " characters");
    }
    return title.textValue();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
