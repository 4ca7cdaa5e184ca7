package io.docstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One-field updates ({@code {"u3": 1234}}, each with a unique id) to documents drawn uniformly at
 * random (seeded), so that a cache smaller than the set of documents hits in proportion to its
 * size; round-robin, the worst case for an LRU cache, would miss every time.
 */
final class UniformUpdates implements Messages {
  private static final int UPDATE_FIELDS = 8;

  private final String topic;
  private final String runId;
  private final List<String> docs;
  private final SplittableRandom random = new SplittableRandom(42);
  private long next;

  UniformUpdates(String topic, String runId, List<String> docs) {
    this.topic = topic;
    this.runId = runId;
    this.docs = List.copyOf(docs);
  }

  @Override
  public ProducerRecord<String, byte[]> next(long dueMillis) {
    long n = next++;
    ObjectNode body = Json.object().put("u" + (n % UPDATE_FIELDS), n);
    byte[] value = Json.bytes(Command.of(runId + "-" + n, body));
    String doc = docs.get(random.nextInt(docs.size()));
    return new ProducerRecord<>(topic, null, dueMillis, doc, value);
  }
}
