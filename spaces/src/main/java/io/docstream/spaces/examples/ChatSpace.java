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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A chat room with a bounded history.
 *
 * <p>Message: {@code {"say": "hello"}} from an actor; the text has 1-2000 characters and is not
 * blank ({@link ErrorCode#CHAT_TEXT_INVALID}); any other field is {@link ErrorCode#BODY_INVALID}
 * and no actor {@link ErrorCode#ACTOR_REQUIRED}.
 *
 * <p>Document:
 *
 * <pre>
 * /messages/{n}    {"from": actor, "text": "...", "ts": millis}; n is a zero-padded counter
 *                  ("0000000001"), so key order is arrival order
 * /next            the n of the next message
 * /members/{actor} the timestamp of the actor's latest message
 * </pre>
 *
 * <p>Only the newest {@code history} messages are kept (option {@code history}, default 50): each
 * message adds one entry and deletes the one that fell out, so its delta stays small however long
 * the room lives.
 */
public final class ChatSpace implements SpaceLogic {
  public static final int DEFAULT_HISTORY = 50;
  public static final int MAX_HISTORY = 10_000;
  public static final int MAX_TEXT_CHARS = 2000;

  private int history = DEFAULT_HISTORY;

  @Override
  public void configure(Map<String, String> options) {
    history =
        Options.of(options, Set.of("history")).intValue("history", DEFAULT_HISTORY, 1, MAX_HISTORY);
  }

  @Override
  public void apply(MessageContext ctx, Document doc) {
    String text = text(ctx);
    String actor = ctx.actor();
    if (actor == null) {
      throw ctx.reject(ErrorCode.ACTOR_REQUIRED, "a chat message needs an actor");
    }
    long n = doc.has("/next") ? doc.get("/next").asLong() : 1;
    ObjectNode message =
        Json.object().put("from", actor).put("text", text).put("ts", ctx.timestampMillis());
    doc.set(messagePointer(n), message);
    doc.set("/next", Json.NODES.numberNode(n + 1));
    // Delete what fell out of the window; more than one only after the history option shrank.
    for (long old = n - history; old >= 1 && doc.has(messagePointer(old)); old--) {
      doc.remove(messagePointer(old));
    }
    String member = pointer("members", actor);
    JsonNode lastSeen = doc.get(member);
    if (lastSeen == null || lastSeen.asLong() < ctx.timestampMillis()) {
      doc.set(member, Json.NODES.numberNode(ctx.timestampMillis()));
    }
  }

  private static String text(MessageContext ctx) {
    Bodies.requireFields(ctx.body(), Set.of("say"));
    JsonNode say = ctx.body().get("say");
    if (say == null) {
      throw ctx.reject(ErrorCode.BODY_INVALID, "a chat message is {\"say\": text}");
    }
    if (!say.isTextual() || !Bodies.hasLength(say.textValue(), 1, MAX_TEXT_CHARS)) {
      throw ctx.reject(
          ErrorCode.CHAT_TEXT_INVALID,
          "say must be a non-blank text of 1-" + MAX_TEXT_CHARS + " characters");
    }
    return say.textValue();
  }

  static String messagePointer(long n) {
    return "/messages/" + String.format(Locale.ROOT, "%010d", n);
  }
}
