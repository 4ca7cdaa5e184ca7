package io.docstream.spaces.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of message bodies: a body is an object with only the fields its operation names,
 * so a typo is refused rather than silently ignored.
 */
public final class Bodies {
  private Bodies() {}

  /**
   * The body's {@code op}, after checking that it is one of {@code fieldsByOp}'s keys and that the
   * body has no field outside that op's set.
   *
   * @throws DocstreamException with {@link ErrorCode#BODY_INVALID}
   */
  public static String op(JsonNode body, Map<String, Set<String>> fieldsByOp) {
    requireObject(body);
    JsonNode op = body.get("op");
    if (op == null || !op.isTextual()) {
      throw invalid("the body needs a string field \"op\"");
    }
    Set<String> fields = fieldsByOp.get(op.textValue());
    if (fields == null) {
      throw invalid("unknown op; expected one of " + new TreeSet<>(fieldsByOp.keySet()));
    }
    requireFields(body, fields);
    return op.textValue();
  }

  /**
   * Checks that {@code body} is an object with no field outside {@code allowed}.
   *
   * @throws DocstreamException with {@link ErrorCode#BODY_INVALID}
   */
  public static void requireFields(JsonNode body, Set<String> allowed) {
    requireObject(body);
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw invalid("unexpected field \"" + abbreviate(field) + "\"; allowed: " + allowed);
      }
    }
  }

  /**
   * The string field {@code name}, which must be present.
   *
   * @throws DocstreamException with {@link ErrorCode#BODY_INVALID}
   */
  public static String text(JsonNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || !value.isTextual()) {
      throw invalid("the body needs a string field \"" + name + "\"");
    }
    return value.textValue();
  }

  /** True when {@code text} has {@code min}..{@code max} code points and is not blank. */
  public static boolean hasLength(String text, int min, int max) {
    int length = text.codePointCount(0, text.length());
    return length >= min && length <= max && (min == 0 || !text.isBlank());
  }

  public static DocstreamException invalid(String reason) {
    return new DocstreamException(ErrorCode.BODY_INVALID, reason);
  }

  private static void requireObject(JsonNode body) {
    if (!body.isObject()) {
      throw invalid("the body must be a JSON object");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
