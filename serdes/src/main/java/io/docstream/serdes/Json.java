package io.docstream.serdes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one strictly configured Jackson mapper shared by every module. */
public final class Json {
  /** Strict: duplicate keys, trailing tokens and unknown properties are errors. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  public static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

  private static final int MAX_MESSAGE_CHARS = 200;

  private Json() {}

  /**
   * Parses a JSON value. Every failure is a {@link DocstreamException}: {@link
   * ErrorCode#NUMBER_OUT_OF_RANGE} for a number Java cannot even hold (an exponent beyond an int),
   * {@link ErrorCode#RECORD_NOT_JSON} for anything else, whatever Jackson threw.
   */
  public static JsonNode parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new DocstreamException(ErrorCode.RECORD_NOT_JSON, "empty value");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new DocstreamException(ErrorCode.RECORD_NOT_JSON, "empty value");
      }
      return node;
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.RECORD_NOT_JSON, "not valid JSON: " + firstLine(e.getMessage()), e);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new DocstreamException(
          ErrorCode.NUMBER_OUT_OF_RANGE,
          "a number is out of range: " + firstLine(e.getMessage()),
          e);
    } catch (RuntimeException e) {
      throw new DocstreamException(
          ErrorCode.RECORD_NOT_JSON, "not valid JSON: " + e.getClass().getSimpleName(), e);
    }
  }

  public static JsonNode parse(String text) {
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new DocstreamException(ErrorCode.INTERNAL, "cannot serialize " + value.getClass(), e);
    }
  }

  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new DocstreamException(ErrorCode.INTERNAL, "cannot serialize " + value.getClass(), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return Echo.cut(nl < 0 ? message : message.substring(0, nl), MAX_MESSAGE_CHARS);
  }
}
