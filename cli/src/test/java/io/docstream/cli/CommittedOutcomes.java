package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a deployment has committed on its deltas and rejections topics, read from the beginning with
 * {@code read_committed} and accumulated as it arrives.
 */
final class CommittedOutcomes implements AutoCloseable {
  /** One rejection: the record key it was answered under and its JSON value. */
  record Rejected(String key, JsonNode value) {
    int code() {
      return value.path("code").asInt();
    }
  }

  private final TopicNames topics;
  private final TopicTail tail;
  private final Map<String, Integer> applications = new HashMap<>();
  private final Map<String, List<Long>> seqsByDoc = new HashMap<>();
  private final List<Rejected> rejections = new ArrayList<>();

  CommittedOutcomes(String bootstrap, TopicNames topics) {
    this.topics = topics;
    Properties client = new Properties();
    client.put("bootstrap.servers", bootstrap);
    this.tail = new TopicTail(client, List.of(topics.deltas(), topics.rejections()), true);
  }

  /** How many deltas named each message id (exactly once means 1 for every id sent). */
  Map<String, Integer> applications() {
    return applications;
  }

  /** Each document's delta seqs in the order they were committed. */
  Map<String, List<Long>> seqsByDoc() {
    return seqsByDoc;
  }

  List<Rejected> rejections() {
    return rejections;
  }

  /** Reads until {@code done} holds; false if it still does not after {@code timeout}. */
  boolean awaitUntil(Predicate<CommittedOutcomes> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(this)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      poll();
    }
    return true;
  }

  /** Reads everything committed so far (up to the last stable offset of every partition). */
  void readToEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!tail.atEnd() && System.nanoTime() < deadline) {
      poll();
    }
  }

  private void poll() {
    for (ConsumerRecord<String, String> r : tail.poll(Duration.ofMillis(200))) {
      JsonNode value = Json.parse(r.value());
      if (r.topic().equals(topics.deltas())) {
        seqsByDoc.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(value.path("seq").asLong());
        value.path("ids").forEach(id -> applications.merge(id.asText(), 1, Integer::sum));
      } else {
        rejections.add(new Rejected(r.key(), value));
      }
    }
  }

  @Override
  public void close() {
    tail.close();
  }
}
