package io.docstream.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Strict reading of commands-topic records; every failure carries a code. */
public final class CommandCodec {
  public static final int MAX_ID_CHARS = 200;

  private CommandCodec() {}

  /**
   * Parses a record value.
   *
   * @throws DocstreamException with {@link ErrorCode#RECORD_TOO_LARGE}, {@link
   *     ErrorCode#RECORD_NOT_JSON}, {@link ErrorCode#RECORD_BAD_SHAPE}, {@link
   *     ErrorCode#BODY_MISSING} or {@link ErrorCode#MESSAGE_ID_INVALID}
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
                "unknown field '" + field.getKey() + "' (allowed: id, body, actor, ts, doc)");
      }
    }
    if (body == null) {
      throw new DocstreamException(ErrorCode.BODY_MISSING, "record has no body");
    }
    if (id != null && (id.isEmpty() || id.length() > MAX_ID_CHARS)) {
      throw new DocstreamException(
          ErrorCode.MESSAGE_ID_INVALID, "id must have 1 to " + MAX_ID_CHARS + " characters");
    }
    return new Command(id, body, actor, ts, doc);
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
          "record key " + recordKey + " differs from doc field " + command.doc());
    }
    return DocKey.parse(recordKey);
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
