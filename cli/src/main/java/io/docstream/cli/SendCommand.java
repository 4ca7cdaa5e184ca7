package io.docstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Command;
import io.docstream.serdes.CommandCodec;
import io.docstream.serdes.DocKey;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.state.Timers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  /** Exit code when the message was rejected. */
  private static final int REJECTED = 1;

  /** Exit code when no outcome came within the timeout. */
  private static final int NO_OUTCOME = 3;

  private static final Duration POLL = Duration.ofMillis(200);

  @Mixin KafkaOptions kafka;

  @Parameters(index = "0", description = "Document key, space/id.")
  String doc;

  @Parameters(index = "1", description = "Message body (JSON).")
  String body;

  @Option(
      names = "--id",
      description =
          "Message id, 1-" + CommandCodec.MAX_ID_CHARS + " characters (default: a random one).")
  String id;

  @Option(names = "--actor", description = "Actor name to send as.")
  String actor;

  @Override
  public Integer call() {
    Deadline deadline = Deadline.after(kafka.timeout());
    DocKey key = DocKey.parse(doc);
    JsonNode parsed = parseBody(body);
    String messageId = id != null ? validId(id) : "cli-" + UUID.randomUUID();
    Command message = new Command(messageId, parsed, actor, System.currentTimeMillis(), null);
    try (TopicTail outcomes =
        new TopicTail(
            kafka.consumerProps(),
            List.of(kafka.topics().deltas(), kafka.topics().rejections()),
            false)) {
      produce(
          new ProducerRecord<>(kafka.topics().commands(), key.toString(), Json.bytes(message)),
          deadline);
      while (!deadline.passed()) {
        for (ConsumerRecord<String, String> r : outcomes.poll(POLL)) {
          if (key.toString().equals(r.key()) && mentions(r.value(), messageId)) {
            boolean delta = r.topic().equals(kafka.topics().deltas());
            System.out.println((delta ? "delta " : "rejected ") + r.value());
            return delta ? 0 : REJECTED;
          }
        }
      }
    }
    System.err.println(
        "no outcome for "
            + messageId
            + " within "
            + kafka.timeoutMillis
            + " ms (is a processor"
            + " running?)");
    return NO_OUTCOME;
  }

  private void produce(ProducerRecord<String, byte[]> record, Deadline deadline) {
    java.util.Properties props = kafka.producerProps();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    Duration closeTimeout = Duration.ZERO;
    try {
      producer.send(record).get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
      closeTimeout = deadline.remaining();
    } catch (ExecutionException | TimeoutException e) {
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE,
          "the message was not written to Kafka at "
              + kafka.bootstrap
              + " within "
              + kafka.timeoutMillis
              + " ms: "
              + (e.getCause() != null ? e.getCause().getMessage() : "timed out"),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DocstreamException(ErrorCode.KAFKA_UNREACHABLE, "interrupted while sending", e);
    } finally {
      producer.close(closeTimeout);
    }
  }

  private static JsonNode parseBody(String text) {
    try {
      return Json.parse(text);
    } catch (DocstreamException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DocstreamException(
          ErrorCode.RECORD_NOT_JSON, "the body is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The id, if the processor would take it: 1-200 characters, not a reserved timer id. */
  static String validId(String id) {
    if (id.isEmpty() || id.length() > CommandCodec.MAX_ID_CHARS) {
      throw new DocstreamException(
          ErrorCode.MESSAGE_ID_INVALID,
          "--id needs 1-" + CommandCodec.MAX_ID_CHARS + " characters, got " + id.length());
    }
    if (id.startsWith(Timers.ID_PREFIX)) {
      throw new DocstreamException(
          ErrorCode.MESSAGE_ID_RESERVED,
          "ids starting with '" + Timers.ID_PREFIX + "' are reserved for timers");
    }
    return id;
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
