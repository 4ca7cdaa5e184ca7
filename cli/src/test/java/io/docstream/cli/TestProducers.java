package io.docstream.cli;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer the tests send commands with, as a careful sending application would. */
final class TestProducers {
  private TestProducers() {}

  /** Idempotent, {@code acks=all}, {@code linger.ms} 5: no message lost or doubled by a retry. */
  static KafkaProducer<String, byte[]> idempotent(String bootstrap) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }
}
