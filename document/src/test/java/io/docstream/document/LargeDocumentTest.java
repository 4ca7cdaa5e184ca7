package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.docstream.serdes.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LargeDocumentTest {
  private static final int MEMBERS = 10_000;

  @Test
  void shouldEmitADeltaUnder100BytesForAOneFieldChangeToAOneMegabyteDocument() {
    TrackedDocument doc = new TrackedDocument(largeDocument());
    assertThat(Json.bytes(doc.root()).length).isBetween(1_000_000, 1_200_000);

    doc.set("/member-04242/status", new TextNode("done"));
    byte[] delta = Json.bytes(doc.commit());

    assertThat(new String(delta, StandardCharsets.UTF_8))
        .isEqualTo("{\"member-04242\":{\"status\":\"done\"}}");
    assertThat(delta.length).isLessThan(100);
  }

  private static ObjectNode largeDocument() {
    ObjectNode root = Nodes.object();
    String padding = "x".repeat(60);
    for (int i = 0; i < MEMBERS; i++) {
      ObjectNode member = Nodes.object();
      member.put("status", "open");
      member.put("note", padding);
      member.put("rank", i);
      root.set(String.format("member-%05d", i), member);
    }
    return root;
  }
}
