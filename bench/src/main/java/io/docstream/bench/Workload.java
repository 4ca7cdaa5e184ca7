package io.docstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The message stream: one-field updates ({@code {"u3": 1234}}, each with a unique id) spread
 * round-robin over a fixed set of json-space documents, and the messages that fill a document to a
 * given size first.
 */
final class Workload implements Messages {
  /** Fields that updates cycle through, so documents stay at their pre-filled size. */
  private static final int UPDATE_FIELDS = 8;

  /** Pre-fill field values are this long, so a document of S bytes has about S/1000 fields. */
  private static final int FILL_FIELD_CHARS = 1000;

  /** Pre-fill messages stay under the processor's default max.message.bytes (256 KiB). */
  private static final int FILL_FIELDS_PER_MESSAGE = 200;

  private final String topic;
  private final String runId;
  private final List<String> docs;
  private long next;

  Workload(String topic, String runId, List<String> docs) {
    this.topic = topic;
    this.runId = runId;
    this.docs = List.copyOf(docs);
  }

  static List<String> docs(String prefix, int count) {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      docs.add("json/" + prefix + "-" + i);
    }
    return docs;
  }

  List<String> docs() {
    return docs;
  }

  @Override
  public ProducerRecord<String, byte[]> next(long dueMillis) {
    long n = next++;
    ObjectNode body = Json.object().put("u" + (n % UPDATE_FIELDS), n);
    byte[] value = Json.bytes(Command.of(runId + "-" + n, body));
    return new ProducerRecord<>(topic, null, dueMillis, docs.get((int) (n % docs.size())), value);
  }

  /** The messages that grow every document to about {@code bytes} of JSON. */
  List<ProducerRecord<String, byte[]>> fill(int bytes) {
    int fields = Math.max(1, bytes / (FILL_FIELD_CHARS + 10));
    int chars = fields == 1 ? Math.max(1, bytes - 20) : FILL_FIELD_CHARS;
    String value = "0123456789".repeat(chars / 10 + 1).substring(0, chars);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (String doc : docs) {
      for (int first = 0; first < fields; first += FILL_FIELDS_PER_MESSAGE) {
        ObjectNode body = Json.object();
        for (int f = first; f < Math.min(fields, first + FILL_FIELDS_PER_MESSAGE); f++) {
          body.put(String.format("p%05d", f), value);
        }
        String id = runId + "-fill-" + doc + "-" + first;
        records.add(new ProducerRecord<>(topic, doc, Json.bytes(Command.of(id, body))));
      }
    }
    return records;
  }

  /** The serialized size of a typical update, for the report. */
  static int typicalUpdateBytes() {
    ObjectNode body = Json.object().put("u0", 100_000L);
    return Json.bytes(Command.of("s102400-100000", body)).length;
  }
}
