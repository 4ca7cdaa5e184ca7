package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
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
   * Once a document's dedupe window and history are full, a message with an id writes one record
   * each to the entries and meta changelogs and to deltas, and four to the history and dedupe
   * changelogs (its slot and id entry, the deletion of the oldest slot and of the oldest id): 7
   * records. A real commit folds entries and meta (the bench: 3 records per message, delta, slot
   * and id entry, while ids are younger than the time window).
   */
  @Test
  void shouldWriteSevenRecordsPerMessageOnceTheWindowsAreFull() {
    try (TopologyFixture f = new TopologyFixture(stateDir, WINDOWS)) {
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
          .isEqualTo(7L * messages);
      assertThat(perTopic.get("docstream-docstream-dedupe-changelog")).isEqualTo(2L * messages);
      assertThat(perTopic.get("docstream-docstream-history-changelog")).isEqualTo(2L * messages);
    }
  }

  /**
   * The physics of DESIGN.md with every byte counted (key, value and headers of every record to
   * every changelog and to deltas), when a commit holds several messages per document, as in the
   * bench and real traffic: the record cache writes a document's entries and meta once per commit
   * for all its messages. TopologyTestDriver commits after each record, so the fold is applied here
   * to its entries and meta records: of each run of {@value #MESSAGES_PER_COMMIT} messages, only
   * the last record per key counts (what the cache sends). Then a message writes at most 2 x its
   * merge patch + 200 B: the patch once in the delta and once in the entries it changes, the
   * delta's own fields (seq, ids, ts, actor, hash: ~90 B) and the slot and id entry (~70 B). Holds
   * while ids are younger than the time window (no expiry records), as in the bench.
   */
  @Test
  void shouldWriteAtMostTwiceThePatchPlus200BytesPerMessageWhenCommitsFoldEntries(
      TestReporter report) {
    for (int valueChars : new int[] {1, 1000}) {
      Cost cost = measure(stateDir.resolve("folded-" + valueChars), valueChars, YOUNG_IDS);
      report.publishEntry("young ids, " + valueChars + "-character values", cost.toString());
      assertThat(cost.folded())
          .as("bytes per message (%d-character values): %s", valueChars, cost)
          .isLessThanOrEqualTo(2 * cost.patch() + 200L * MESSAGES);
    }
  }

  /**
   * Once the windows are full, each message also deletes an expired id and an old slot (two
   * tombstones carrying the document's name): 2 x patch + 250 B with the fold. When every message
   * is its own commit (no fold: one message per document per commit interval), the entries' keys
   * and meta (57 B value) are written per message too: 2 x patch + 350 B.
   */
  @Test
  void shouldBoundTheBytesPerMessageWithFullWindowsAndWithoutFolding(TestReporter report) {
    for (int valueChars : new int[] {1, 1000}) {
      Cost cost = measure(stateDir.resolve("full-" + valueChars), valueChars, WINDOWS);
      report.publishEntry("full windows, " + valueChars + "-character values", cost.toString());
      assertThat(cost.folded())
          .as("folded, bytes per message (%d-character values): %s", valueChars, cost)
          .isLessThanOrEqualTo(2 * cost.patch() + 250L * MESSAGES);
      assertThat(cost.all())
          .as("unfolded, bytes per message (%d-character values): %s", valueChars, cost)
          .isLessThanOrEqualTo(2 * cost.patch() + 350L * MESSAGES);
    }
  }

  private static final int MESSAGES = 100;
  private static final int MESSAGES_PER_COMMIT = 10;
  private static final Map<String, String> WINDOWS =
      Map.of("dedupe.window.messages", "50", "dedupe.window.ms", "1000", "history.deltas", "50");
  private static final Map<String, String> YOUNG_IDS =
      Map.of("dedupe.window.messages", "50", "dedupe.window.ms", "100000000");

  /** Bytes over {@link #MESSAGES} messages: patches, all records, and all with entries folded. */
  private record Cost(long patch, long all, long folded) {
    @Override
    public String toString() {
      return String.format(
          "patch %d, all %d, folded %d", patch / MESSAGES, all / MESSAGES, folded / MESSAGES);
    }
  }

  private static Cost measure(Path dir, int valueChars, Map<String, String> settings) {
    try (TopologyFixture f = new TopologyFixture(dir, settings)) {
      for (int i = 0; i < 200 + MESSAGES; i++) {
        if (i == 200) {
          drainAll(f);
        }
        String value =
            ((char) ('a' + i % 26) + "-" + i + "x".repeat(valueChars)).substring(0, valueChars);
        f.send("json/busy", "m-" + i, "{\"text\":\"" + value + "\"}", "alice", 1000L * i);
      }
      long patch = 0;
      long all = 0;
      long folded = 0;
      for (String topic : f.driver.producedTopicNames()) {
        TestOutputTopic<byte[], byte[]> out =
            f.driver.createOutputTopic(
                topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
        boolean cached = topic.endsWith("-docs-changelog") || topic.endsWith("-meta-changelog");
        Map<Bytes, Long> lastPerKey = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
          TestRecord<byte[], byte[]> r = records.get(i);
          long bytes = bytes(r);
          all += bytes;
          if (topic.equals("docstream.deltas")) {
            patch += Json.bytes(Json.parse(r.value()).get("patch")).length;
          }
          if (!cached) {
            folded += bytes;
          } else {
            lastPerKey.put(Bytes.wrap(r.key()), bytes);
            if ((i + 1) % MESSAGES_PER_COMMIT == 0 || i == records.size() - 1) {
              folded += lastPerKey.values().stream().mapToLong(Long::longValue).sum();
              lastPerKey.clear();
            }
          }
        }
      }
      return new Cost(patch, all, folded);
    }
  }

  private static long bytes(TestRecord<byte[], byte[]> r) {
    long total =
        (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    for (Header h : r.headers()) {
      total +=
          h.key().getBytes(StandardCharsets.UTF_8).length
              + (h.value() == null ? 0 : h.value().length);
    }
    return total;
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
