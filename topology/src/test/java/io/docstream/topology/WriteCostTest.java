package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The physics of DESIGN.md: a commit's bytes follow the size of its change, not the document. */
class WriteCostTest {
  private static final int FIELDS = 10_000;
  private static final int FIELDS_PER_MESSAGE = 500;

  @TempDir Path stateDir;

  @Test
  void shouldWriteUnderTenKilobytesForOneFieldChangeToAMegabyteDocument() {
    try (TopologyFixture f = new TopologyFixture(stateDir, Map.of())) {
      String filler = "v".repeat(90);
      for (int start = 0; start < FIELDS; start += FIELDS_PER_MESSAGE) {
        ObjectNode body = Json.object();
        for (int i = start; i < start + FIELDS_PER_MESSAGE; i++) {
          body.put(String.format("field-%05d", i), filler);
        }
        f.send("json/big", "fill-" + start, Json.text(body), null, start);
      }
      long documentBytes = bytesWritten(f, "docstream.deltas");
      drainAll(f);
      assertThat(documentBytes).as("the document is about 1 MB").isGreaterThan(1_000_000);

      f.send("json/big", "one", "{\"field-05000\":\"changed\"}", null, FIELDS + 1);

      long written = bytesWritten(f, null);
      assertThat(written).as("bytes to all changelogs and the deltas topic").isLessThan(10_000);
    }
  }

  /**
   * Once a document's dedupe window is full, a message with an id writes one record each to the
   * entries, meta and history changelogs and to deltas, and four to the dedupe changelog (its id
   * and queue item, and the deletion of the oldest id and queue item): 8 records. Until the time
   * window lets the oldest id go, only 2 dedupe records (6 in all), and the queue grows instead.
   */
  @Test
  void shouldWriteEightRecordsPerMessageOnceTheDedupeWindowIsFull() {
    try (TopologyFixture f =
        new TopologyFixture(
            stateDir, Map.of("dedupe.window.messages", "50", "dedupe.window.ms", "1000"))) {
      int messages = 100;
      for (int i = 0; i < 200 + messages; i++) {
        if (i == 200) {
          recordsWritten(f);
        }
        f.send("json/busy", "m-" + i, "{\"n\":" + i + "}", "alice", 1000L * i);
      }
      Map<String, Long> perTopic = recordsWritten(f);
      assertThat(perTopic.values().stream().mapToLong(Long::longValue).sum())
          .as("records to all changelogs and deltas: %s", perTopic)
          .isEqualTo(8L * messages);
      assertThat(perTopic.get("docstream-docstream-dedupe-changelog")).isEqualTo(4L * messages);
    }
  }

  /**
   * The physics with every byte counted: key, value and headers of every record to every changelog
   * and to deltas, with entries and meta written once per message (TopologyTestDriver commits after
   * each record, the worst case; a real commit folds a document's entries and meta over all its
   * messages). A message writes the values it changes (entries), its delta, and the delta's copy in
   * the history: at most 3 x its delta record's bytes + 200 B, whatever the patch size, with a full
   * dedupe window (4 dedupe records per message).
   */
  @Test
  void shouldWriteAtMostThreeTimesTheDeltaPlus200BytesPerMessage() {
    for (int valueChars : new int[] {1, 1000}) {
      Path dir = stateDir.resolve("value-" + valueChars);
      try (TopologyFixture f =
          new TopologyFixture(
              dir, Map.of("dedupe.window.messages", "50", "dedupe.window.ms", "1000"))) {
        int messages = 100;
        for (int i = 0; i < 200 + messages; i++) {
          if (i == 200) {
            drainAll(f);
          }
          String value = (i + "-" + "x".repeat(valueChars)).substring(0, valueChars);
          f.send("json/busy", "m-" + i, "{\"text\":\"" + value + "\"}", "alice", 1000L * i);
        }
        long deltas = bytesWritten(f, "docstream.deltas");
        long all = deltas + bytesWritten(f, null);
        assertThat(all)
            .as(
                "bytes per message (%d-character values): %d, delta %d",
                valueChars, all / messages, deltas / messages)
            .isLessThanOrEqualTo(3 * deltas + 200L * messages);
      }
    }
  }

  private static Map<String, Long> recordsWritten(TopologyFixture f) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (String topic : f.driver.producedTopicNames()) {
      TestOutputTopic<byte[], byte[]> o =
          f.driver.createOutputTopic(
              topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      out.put(topic, o.getQueueSize());
      o.readRecordsToList();
    }
    return out;
  }

  private static void drainAll(TopologyFixture f) {
    bytesWritten(f, null);
  }

  /**
   * Sums key, value and header bytes of the records produced since the last read, on one topic or
   * on every one.
   */
  private static long bytesWritten(TopologyFixture f, String onlyTopic) {
    long total = 0;
    for (String topic : f.driver.producedTopicNames()) {
      if (onlyTopic != null && !onlyTopic.equals(topic)) {
        continue;
      }
      TestOutputTopic<byte[], byte[]> out =
          f.driver.createOutputTopic(
              topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
        total +=
            (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) {
          total +=
              h.key().getBytes(StandardCharsets.UTF_8).length
                  + (h.value() == null ? 0 : h.value().length);
        }
      }
    }
    return total;
  }
}
