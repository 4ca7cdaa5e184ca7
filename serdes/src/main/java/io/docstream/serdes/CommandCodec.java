package io.docstream.serdes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/** Strict reading of commands-topic records; every failure carries a code. */
public final class CommandCodec {
  public static final int MAX_ID_CHARS = 200;

  private CommandCodec() {}

  /** The id and actor of a record, as far as they could be read; each null when not. */
  public record Sender(String id, String actor) {
    public static final Sender UNKNOWN = new Sender(null, null);

    public static Sender of(Command command) {
      return new Sender(echo(command.id()), echo(command.actor()));
    }
  }

  /**
   * Parses a record value.
   *
   * @throws DocstreamException with {@link ErrorCode#RECORD_TOO_LARGE}, {@link
   *     ErrorCode#RECORD_NOT_JSON}, {@link ErrorCode#RECORD_BAD_SHAPE}, {@link
   *     ErrorCode#BODY_MISSING}, {@link ErrorCode#MESSAGE_ID_INVALID} or {@link
   *     ErrorCode#NUMBER_OUT_OF_RANGE}
   */
  public static Command parse(byte[] value, int maxBytes) {
    if (value != null && value.length > maxBytes) {
      throw new DocstreamException(
          ErrorCode.RECORD_TOO_LARGE,
          "record of " + value.length + " bytes exceeds the limit of " + maxBytes);
    }
    JsonNode root = Json.parse(value);
    if (!root.isObject()) {
      throw new DocstreamException(ErrorCode.RECORD_BAD_SHAPE, "record must be a JSON object");
    }
    String id = null;
    JsonNode body = null;
    String actor = null;
    Long ts = null;
    String doc = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = field.getValue();
      switch (field.getKey()) {
        case "id" -> id = optionalText("id", v);
        case "body" -> body = v.isNull() ? null : v;
        case "actor" -> actor = optionalText("actor", v);
        case "doc" -> doc = optionalText("doc", v);
        case "ts" -> {
          if (!v.isNull()) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
              throw new DocstreamException(
                  ErrorCode.RECORD_BAD_SHAPE, "ts must be a non-negative integer (epoch millis)");
            }
            ts = v.longValue();
          }
        }
        default ->
            throw new DocstreamException(
                ErrorCode.RECORD_BAD_SHAPE,
                "unknown field '"
                    + Echo.cut(field.getKey())
                    + "' (allowed: id, body, actor, ts, doc)");
      }
    }
    if (body == null) {
      throw new DocstreamException(ErrorCode.BODY_MISSING, "record has no body");
    }
    if (id != null && (id.isEmpty() || id.length() > MAX_ID_CHARS)) {
      throw new DocstreamException(
          ErrorCode.MESSAGE_ID_INVALID, "id must have 1 to " + MAX_ID_CHARS + " characters");
    }
    requireDoubleRange(body);
    return new Command(id, body, actor, ts, doc);
  }

  /**
   * The id and actor of a record that could not be parsed, read leniently from its top-level fields
   * up to the first error. Never throws. An id or actor longer than {@value #MAX_ID_CHARS}
   * characters comes back cut (see {@link Echo}).
   */
  public static Sender sender(byte[] value) {
    if (value == null) {
      return Sender.UNKNOWN;
    }
    String id = null;
    String actor = null;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Sender.UNKNOWN;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME && (id == null || actor == null)) {
        String name = p.currentName();
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_STRING && "id".equals(name) && id == null) {
          id = p.getText();
        } else if (token == JsonToken.VALUE_STRING && "actor".equals(name) && actor == null) {
          actor = p.getText();
        } else {
          p.skipChildren();
        }
      }
    } catch (Exception | StackOverflowError e) {
      // what was read before the error is what was readable
    }
    return new Sender(echo(id), echo(actor));
  }

  /**
   * The document a record addresses: its key, or its {@code doc} field when it has no key.
   *
   * @throws DocstreamException with {@link ErrorCode#DOC_KEY_MISSING}, {@link
   *     ErrorCode#DOC_KEY_MISMATCH} or {@link ErrorCode#DOC_KEY_INVALID}
   */
  public static DocKey target(String recordKey, Command command) {
    if (recordKey == null) {
      if (command.doc() == null) {
        throw new DocstreamException(
            ErrorCode.DOC_KEY_MISSING, "record has no key and no doc field");
      }
      return DocKey.parse(command.doc());
    }
    if (command.doc() != null && !command.doc().equals(recordKey)) {
      throw new DocstreamException(
          ErrorCode.DOC_KEY_MISMATCH,
          "record key "
              + Echo.cut(recordKey)
              + " differs from doc field "
              + Echo.cut(command.doc()));
    }
    return DocKey.parse(recordKey);
  }

  /**
   * Every number must be a finite double, and one that is not zero must not round to zero: what a
   * JavaScript client reads is then the number sent, up to a double's precision.
   */
  static void requireDoubleRange(JsonNode body) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(body);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isContainerNode()) {
        node.forEach(pending::push);
      } else if (node.isBigDecimal() || node.isBigInteger()) {
        double d = node.doubleValue();
        boolean underflow = d == 0 && node.decimalValue().signum() != 0;
        if (Double.isInfinite(d) || underflow) {
          throw new DocstreamException(
              ErrorCode.NUMBER_OUT_OF_RANGE,
              "number "
                  + Echo.cut(node.toString())
                  + " does not fit a double (magnitude 4.9e-324 to 1.8e308, or 0)");
        }
      }
    }
  }

  private static String echo(String idOrActor) {
    return idOrActor == null || idOrActor.length() <= MAX_ID_CHARS
        ? idOrActor
        : Echo.cut(idOrActor);
  }

  private static String optionalText(String name, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new DocstreamException(ErrorCode.RECORD_BAD_SHAPE, name + " must be a string");
    }
    return v.textValue();
  }
}
