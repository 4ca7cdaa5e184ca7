package io.docstream.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.RandomJson.Edit;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TrackedDocumentPropertyTest {

  @Provide
  Arbitrary<ObjectNode> documents() {
    return RandomJson.documents();
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    return RandomJson.edits();
  }

  @Provide
  Arbitrary<List<List<Edit>>> transactions() {
    return RandomJson.edits().list().ofMaxSize(5);
  }

  @Property(tries = 500)
  void commitIsAMergePatchFromTheDocumentBeforeToTheDocumentAfter(
      @ForAll("documents") ObjectNode start, @ForAll("edits") List<Edit> edits) {
    JsonNode before = Nodes.canonical(start);
    TrackedDocument doc = new TrackedDocument(start);

    applyAll(doc, edits);
    ObjectNode delta = doc.commit();

    assertThat(Json.bytes(MergePatch.apply(Nodes.canonical(before), delta)))
        .isEqualTo(Json.bytes(doc.root()));
  }

  @Property(tries = 500)
  void commitIsExactlyTheDiffOfBeforeAndAfter(
      @ForAll("documents") ObjectNode start, @ForAll("edits") List<Edit> edits) {
    ObjectNode before = (ObjectNode) Nodes.canonical(start);
    TrackedDocument doc = new TrackedDocument(start);

    applyAll(doc, edits);

    assertThat(Json.text(doc.commit())).isEqualTo(Json.text(MergePatch.diff(before, doc.root())));
  }

  @Property(tries = 500)
  void rollbackRestoresTheDocumentToTheSameBytes(
      @ForAll("documents") ObjectNode start, @ForAll("edits") List<Edit> edits) {
    byte[] before = Json.bytes(start);
    TrackedDocument doc = new TrackedDocument(start);

    applyAll(doc, edits);
    doc.rollback();

    assertThat(Json.bytes(doc.root())).isEqualTo(before);
    assertThat(Json.text(doc.commit())).isEqualTo("{}");
  }

  @Property(tries = 500)
  void applyingADeltaTwiceEqualsApplyingItOnce(
      @ForAll("documents") ObjectNode start, @ForAll("edits") List<Edit> edits) {
    JsonNode before = Nodes.canonical(start);
    TrackedDocument doc = new TrackedDocument(start);
    applyAll(doc, edits);
    ObjectNode delta = doc.commit();

    JsonNode once = MergePatch.apply(Nodes.canonical(before), delta);
    JsonNode twice = MergePatch.apply(MergePatch.apply(Nodes.canonical(before), delta), delta);

    assertThat(Json.bytes(twice)).isEqualTo(Json.bytes(once));
  }

  @Property(tries = 500)
  void diffAppliedToBeforeGivesAfter(
      @ForAll("documents") ObjectNode before, @ForAll("documents") ObjectNode after) {
    String beforeText = Json.text(before);
    String afterText = Json.text(after);

    ObjectNode diff = MergePatch.diff(before, after);

    assertThat(Json.bytes(MergePatch.apply(Nodes.canonical(before), diff)))
        .isEqualTo(Json.bytes(after));
    assertThat(Json.text(before)).isEqualTo(beforeText);
    assertThat(Json.text(after)).isEqualTo(afterText);
  }

  @Property(tries = 300)
  void committedDeltasReplayTheDocumentAndRollbacksLeaveNoTrace(
      @ForAll("documents") ObjectNode start,
      @ForAll("transactions") List<List<Edit>> transactions) {
    JsonNode replica = Nodes.canonical(start);
    TrackedDocument doc = new TrackedDocument(start);
    List<ObjectNode> deltas = new ArrayList<>();
    List<String> deltaTexts = new ArrayList<>();

    for (int i = 0; i < transactions.size(); i++) {
      byte[] before = Json.bytes(doc.root());
      applyAll(doc, transactions.get(i));
      if (i % 3 == 2) {
        doc.rollback();
        assertThat(Json.bytes(doc.root())).isEqualTo(before);
      } else {
        ObjectNode delta = doc.commit();
        deltas.add(delta);
        deltaTexts.add(Json.text(delta));
        replica = MergePatch.apply(replica, delta);
        assertThat(Json.bytes(replica)).isEqualTo(Json.bytes(doc.root()));
      }
    }

    assertThat(deltas).extracting(Json::text).isEqualTo(deltaTexts);
  }

  /** Applies each edit; one that fails must fail with a path error and change nothing. */
  private static void applyAll(TrackedDocument doc, List<Edit> edits) {
    for (Edit edit : edits) {
      byte[] before = Json.bytes(doc.root());
      try {
        edit.applyTo(doc);
      } catch (DocstreamException e) {
        assertThat(e.errorCode()).isEqualTo(ErrorCode.PATH_INVALID);
        assertThat(Json.bytes(doc.root())).isEqualTo(before);
      }
    }
  }
}
