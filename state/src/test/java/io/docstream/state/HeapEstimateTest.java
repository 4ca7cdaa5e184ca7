package io.docstream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.document.MergePatch;
import io.docstream.serdes.Json;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;

/**
 * The estimate against the retained heap that JOL measures by walking the cached object graph (no
 * GC, no timing: deterministic). Each shape is loaded from the store into a fresh cache, 200
 * documents at a time, so objects shared by all documents (the node factory, boolean singletons)
 * weigh little.
 */
class HeapEstimateTest {
  /** How far the estimate may be from the measured retained size, as a fraction of it. */
  private static final double TOLERANCE = 0.10;

  private static final int DOCUMENTS = 200;

  static {
    System.setProperty("jol.magicFieldOffset", "true"); // reads the fields of records too
  }

  private final KeyValueStore<Bytes, byte[]> docs = Stores.inMemory("docs");
  private final DocumentState state =
      new DocumentState(
          docs,
          Stores.inMemory("meta"),
          Stores.inMemory("history"),
          Stores.inMemory("dedupe"),
          Stores.inMemory("timers"),
          new StateLimits(3, 2, 0, 1L << 40, 1L << 30));

  private void commit(String doc, String patchJson) {
    ObjectNode patch = (ObjectNode) Json.parse(patchJson);
    DocumentCache.Entry entry = state.open(doc);
    MergePatch.apply(entry.root(), patch);
    long seq = entry.meta().seq() + 1;
    state.commit(
        doc, state.plan(doc, patch), seq, seq, null, new DeltaLocation(seq, 0), List.of("m" + seq));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"p00000\":\"%1000s\",\"u0\":123456,\"u1\":7,\"u2\":-8123456789}",
        "{\"a\":{\"b\":{\"c\":{\"d\":\"x\"}}},\"e\":[1,2,3,{\"f\":\"g\"},[true,null]],\"h\":1.5}",
        "{\"names\":{\"alice\":\"Zoë\",\"bob\":\"日本語のテキスト\",\"eve\":\"😀😀\"}}",
        "{\"counts\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],\"big\":123456789012345678901234567890}",
        "{\"m0\":\"v\",\"m1\":\"v\",\"m2\":\"v\",\"m3\":\"v\",\"m4\":\"v\",\"m5\":\"v\",\"m6\":\"v\",\"m7\":\"v\"}"
      })
  void shouldEstimateTheRetainedHeapOfLoadedDocuments(String shape) {
    String json = shape.replace("%1000s", "x".repeat(1000));
    for (int i = 0; i < DOCUMENTS; i++) {
      commit(String.format("json/doc-%05d", i), json);
    }
    state.dropCache();
    for (int i = 0; i < DOCUMENTS; i++) {
      state.open(String.format("json/doc-%05d", i));
    }

    long measured = GraphLayout.parseInstance(state.cache()).totalSize();
    long estimated = state.cache().heapBytes();

    assertThat((double) estimated).isCloseTo(measured, within(measured * TOLERANCE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":\"one\"}|{\"a\":{\"b\":[1,2,{\"c\":3}]}}|{\"a\":null,\"d\":\"x\"}",
        "{\"a\":{\"b\":{\"c\":1}}}|{\"a\":{\"b\":7}}|{\"a\":\"text\",\"e\":[]}",
        "{\"u0\":1}|{\"u0\":123456789}|{\"u0\":1.25,\"u1\":\"é\"}"
      })
  void shouldAccountCommitsAsALoadWouldCountTheResult(String patches) {
    for (String patch : patches.split("\\|")) {
      commit("json/a", patch);
    }
    long incremental = state.open("json/a").contentHeapBytes();

    assertThat(DocumentEntries.load(docs, "json/a").contentHeapBytes()).isEqualTo(incremental);
  }
}
