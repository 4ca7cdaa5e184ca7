package io.docstream.gateway.internal;

import io.docstream.serdes.Command;
import io.docstream.serdes.JsonSerde;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes clients' messages to the commands topic, keyed by document, idempotently. */
public final class KafkaCommandSink implements CommandSink {
  private final KafkaProducer<String, Command> producer;
  private final String topic;

  public KafkaCommandSink(String bootstrapServers, Map<String, String> kafka, String topic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "docstream-gateway-" + java.util.UUID.randomUUID());
    this.producer =
        new KafkaProducer<>(props, new StringSerializer(), JsonSerde.commands().serializer());
    this.topic = topic;
  }

  @Override
  public CompletableFuture<Void> send(String doc, Command command) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(topic, doc, command),
          (metadata, error) -> {
            if (error != null) {
              done.completeExceptionally(error);
            } else {
              done.complete(null);
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
