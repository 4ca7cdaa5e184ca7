package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.docstream.serdes.Json;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LargeDocumentTest {
  private static final int MEMBERS = 10_000;

  @Test
  void shouldEmitADeltaUnder100BytesForAOneFieldChangeToAOneMegabyteDocument() {
    TrackedDocument doc = new TrackedDocument(largeDocument(Nodes.object()));
    assertThat(Json.bytes(doc.root()).length).isBetween(1_000_000, 1_200_000);

    doc.set("/member-04242/status", new TextNode("done"));
    byte[] delta = Json.bytes(doc.commit());

    assertThat(new String(delta, StandardCharsets.UTF_8))
        .isEqualTo("{\"member-04242\":{\"status\":\"done\"}}");
    assertThat(delta.length).isLessThan(100);
  }

  @Test
  void shouldNeverWalkCopyOrCompareTheWholeDocumentToWriteCommitOrRollBack() {
    ObjectNode root = largeDocument(new ObjectNode(Json.NODES, new Tripwire()));
    TrackedDocument doc = new TrackedDocument(root);

    doc.set("/member-00001/status", new TextNode("done"));
    doc.merge("", Json.parse("{\"member-00002\":{\"rank\":-1},\"member-00003\":null}"));
    doc.set("/added/deep", new TextNode("new"));
    ObjectNode delta = doc.commit();
    doc.set("/member-00004", new TextNode("replaced"));
    doc.remove("/member-00005/note");
    doc.rollback();

    assertThat(Json.text(delta))
        .isEqualTo(
            "{\"added\":{\"deep\":\"new\"},\"member-00001\":{\"status\":\"done\"},"
                + "\"member-00002\":{\"rank\":-1},\"member-00003\":null}");
    assertThat(doc.root().size()).isEqualTo(MEMBERS);
    assertThat(doc.get("/member-00004/status").textValue()).isEqualTo("open");
  }

  private static ObjectNode largeDocument(ObjectNode root) {
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

  /** Sorted members that fail the test if anything iterates, compares or hashes all of them. */
  private static final class Tripwire extends TreeMap<String, JsonNode> {
    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
      throw new AssertionError("iterated the whole document");
    }

    @Override
    public Set<String> keySet() {
      throw new AssertionError("iterated the whole document");
    }

    @Override
    public Collection<JsonNode> values() {
      throw new AssertionError("iterated the whole document");
    }

    @Override
    public boolean equals(Object other) {
      throw new AssertionError("compared the whole document");
    }

    @Override
    public int hashCode() {
      throw new AssertionError("hashed the whole document");
    }
  }
}
