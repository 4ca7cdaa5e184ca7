package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Command;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.Json;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sends one message to a document and prints its outcome (the delta or the rejection). */
@picocli.CommandLine.Command(
    name = "send",
    description = "Send a message body to a document and print the outcome.")
final class SendCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Parameters(index = "0", description = "Document key, space/id.")
  String doc;

  @Parameters(index = "1", description = "Message body (JSON).")
  String body;

  @Option(names = "--id", description = "Message id (default: a random one).")
  String id;

  @Option(names = "--actor", description = "Actor name to send as.")
  String actor;

  @Option(names = "--timeout-ms", defaultValue = "15000", description = "How long to wait.")
  long timeoutMillis;

  @Override
  public Integer call() {
    DocKey key = DocKey.parse(doc);
    JsonNode parsed = Json.parse(body);
    String messageId = id != null ? id : "cli-" + UUID.randomUUID();
    Command message = new Command(messageId, parsed, actor, System.currentTimeMillis(), null);
    Properties client = kafka.clientProps();
    try (TopicTail outcomes =
        new TopicTail(
            client, List.of(kafka.topics().deltas(), kafka.topics().rejections()), false)) {
      Properties producerProps = new Properties();
      producerProps.putAll(client);
      producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
        producer.send(
            new ProducerRecord<>(kafka.topics().commands(), key.toString(), Json.bytes(message)));
      }
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : outcomes.poll(Duration.ofMillis(200))) {
          if (key.toString().equals(r.key()) && mentions(r.value(), messageId)) {
            boolean delta = r.topic().equals(kafka.topics().deltas());
            System.out.println((delta ? "delta " : "rejected ") + r.value());
            return delta ? 0 : 1;
          }
        }
      }
    }
    System.err.println("no outcome for " + messageId + " within " + timeoutMillis + " ms");
    return 3;
  }

  private static boolean mentions(String value, String id) {
    JsonNode node = Json.parse(value);
    if (id.equals(node.path("id").asText(null))) {
      return true;
    }
    for (JsonNode applied : node.path("ids")) {
      if (id.equals(applied.asText())) {
        return true;
      }
    }
    return false;
  }
}
