package io.docstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class KafkaBrokerIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerIntegrationTest.class);
  private static final String TOPIC = "docs";
  private static final List<String> COMMITTED = List.of("a", "b", "c");

  @TempDir Path dataDir;

  @Test
  void shouldKeepCommittedDataAcrossRestartAndLeaveNoProcessAfterKill() throws Exception {
    // Given a fresh broker with a setting of its own
    long startNanos = System.nanoTime();
    KafkaBroker broker =
        KafkaBroker.start(
            BrokerOptions.inDirectory(dataDir).withSetting("group.min.session.timeout.ms", "1500"));
    log.info("First start (format + start): {} ms", millisSince(startNanos));
    assertThat(broker.dataDir().resolve("broker.log")).isNotEmptyFile();

    // When a transaction commits three records and another aborts one
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
      assertThat(
              admin
                  .describeConfigs(List.of(node))
                  .all()
                  .get()
                  .get(node)
                  .get("group.min.session.timeout.ms")
                  .value())
          .as("the setting reached the broker")
          .isEqualTo("1500");
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
    produceCommittedAndAborted(broker.bootstrapServers());

    // Then a read_committed consumer sees only the committed ones
    assertThat(readAll(broker.bootstrapServers(), COMMITTED.size())).isEqualTo(COMMITTED);

    // When the broker restarts on the same directory and ports
    broker.stop();
    assertThat(ProcessHandle.of(broker.pid())).isEmpty();
    startNanos = System.nanoTime();
    KafkaBroker restarted = KafkaBroker.start(broker.options());
    log.info("Restart (no format): {} ms", millisSince(startNanos));

    // Then the data is still there
    assertThat(restarted.bootstrapServers()).isEqualTo(broker.bootstrapServers());
    assertThat(readAll(restarted.bootstrapServers(), COMMITTED.size())).isEqualTo(COMMITTED);

    // And kill leaves no process behind
    restarted.kill();
    assertThat(ProcessHandle.of(restarted.pid()).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void shouldFailWithCodeAndLogTailWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BrokerOptions options =
          BrokerOptions.inDirectory(dataDir)
              .withPort(taken.getLocalPort())
              .withStartTimeout(Duration.ofSeconds(30));

      assertThatThrownBy(() -> KafkaBroker.start(options))
          .isInstanceOfSatisfying(
              DocstreamException.class,
              e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BROKER_START_FAILED))
          .hasMessageContaining("exited with code")
          .hasMessageContaining("Address already in use");
    }
    assertThat(Files.readString(dataDir.resolve("broker.log"))).contains("Address already in use");
  }

  private static void produceCommittedAndAborted(String bootstrap) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "broker-test",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.initTransactions();
      producer.beginTransaction();
      COMMITTED.forEach(v -> producer.send(new ProducerRecord<>(TOPIC, "doc-1", v)));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(TOPIC, "doc-1", "aborted"));
      producer.flush();
      producer.abortTransaction();
    }
  }

  /** Reads the topic from the start until {@code expected} records or 15 s have passed. */
  private static List<String> readAll(String bootstrap, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            IsolationLevel.READ_COMMITTED.toString(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      // One more poll: an aborted record that slipped through would show up now.
      consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
    }
    return values;
  }

  private static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }
}
