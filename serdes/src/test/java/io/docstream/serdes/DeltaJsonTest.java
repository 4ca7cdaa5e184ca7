package io.docstream.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaJsonTest {
  @Test
  void shouldWriteTheSameBytesAsJackson() {
    ObjectNode patch =
        (ObjectNode)
            Json.parse(
                "{\"a\":{\"b\":[1,2.50,\"x\",null,{\"c\":true}]},\"n\":null,"
                    + "\"big\":123456789012345678901234567890.000,\"e\":1E+400,\"s\":\"\\u00e9\\\"\\n\\u2028\","
                    + "\"neg\":-0.0,\"emoji\":\"\\ud83d\\ude00\"}");
    for (Delta delta :
        List.of(
            new Delta(1, patch, List.of(), 0, null, null),
            new Delta(42, patch, List.of("m-1"), 1_700_000_000_000L, "alice", "0123456789abcdef"),
            new Delta(Long.MAX_VALUE, Json.object(), List.of("a", "b\u00e9"), 5, "\u00e9", null),
            new Delta(7, Json.object(), List.of(), 9, null, "ffffffffffffffff"))) {
      assertThat(new String(DeltaJson.bytes(delta), StandardCharsets.UTF_8))
          .isEqualTo(new String(Json.bytes(delta), StandardCharsets.UTF_8));
    }
  }
}
