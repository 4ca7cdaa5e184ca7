package io.docstream.bench;

import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The gateway bench's messages: json-space merge patches {@code {"t": dueMillis}} round-robin over
 * the documents that connections subscribe to (connection i to document i mod D). Each delta
 * therefore carries its message's due time to the clients, and goes to every subscriber of its
 * document, so deliveries = messages x fan-out.
 */
final class FanOutWorkload implements Messages {
  private final String topic;
  private final String runId;
  private final int documents;
  private final int[] subscribers;
  private long next;
  private long deliveries;

  FanOutWorkload(String topic, String runId, int documents, int connections) {
    this.topic = topic;
    this.runId = runId;
    this.documents = documents;
    this.subscribers = new int[documents];
    for (int c = 0; c < connections; c++) {
      subscribers[c % documents]++;
    }
  }

  /** The document connection {@code connection} subscribes to. */
  String docOf(int connection) {
    return "json/fan-" + (connection % documents);
  }

  /** Frames the clients are due to receive for the messages made so far. */
  long deliveries() {
    return deliveries;
  }

  @Override
  public ProducerRecord<String, byte[]> next(long dueMillis) {
    long n = next++;
    int doc = (int) (n % documents);
    deliveries += subscribers[doc];
    byte[] value = Json.bytes(Command.of(runId + "-" + n, Json.object().put("t", dueMillis)));
    return new ProducerRecord<>(topic, null, dueMillis, docOf(doc), value);
  }
}
