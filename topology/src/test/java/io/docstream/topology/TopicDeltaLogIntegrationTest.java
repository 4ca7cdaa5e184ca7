package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.state.DeltaLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading deltas back from the deltas topic: only committed ones, found from their record
 * timestamps even when those are not monotonic, and nothing once a bound is hit or retention
 * deleted them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicDeltaLogIntegrationTest {
  private static final String TOPIC = "log.deltas";

  private KafkaBroker broker;
  private Properties admin;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    broker = KafkaBroker.start(BrokerOptions.inDirectory(temp.resolve("broker")));
    admin = TopicSetup.adminProps(broker.bootstrapServers(), Map.of());
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "log-test"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    producer.initTransactions();
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  private RecordMetadata send(int partition, String doc, long seq, long ts, String marker)
      throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                TOPIC,
                partition,
                ts,
                doc.getBytes(StandardCharsets.UTF_8),
                ("{\"seq\":" + seq + ",\"m\":\"" + marker + "\"}")
                    .getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  /**
   * Waits until read_committed readers see {@code partition} up to {@code offset}: a commit returns
   * before the broker has written its markers, so the last stable offset moves a little later.
   */
  private void awaitStable(int partition, long offset) {
    TopicPartition tp = new TopicPartition(TOPIC, partition);
    try (var reader = TopicDeltaLog.consumers(admin).get()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> reader.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp) > offset);
    }
  }

  private static String text(byte[] delta) {
    return new String(delta, StandardCharsets.UTF_8);
  }

  @Test
  void shouldServeOnlyCommittedDeltasFoundFromTheirTimestamps() throws Exception {
    producer.beginTransaction();
    send(0, "json/a", 1, 5_000, "first");
    send(0, "json/b", 1, 4_000, "other document");
    producer.commitTransaction();
    producer.beginTransaction();
    send(0, "json/a", 2, 6_000, "aborted");
    producer.abortTransaction();
    producer.beginTransaction();
    RecordMetadata lastOn0 = send(0, "json/a", 2, 3_000, "clock went back");
    RecordMetadata lastOn1 = send(1, "json/a", 3, 7_000, "after a rescale");
    producer.commitTransaction();
    awaitStable(0, lastOn0.offset());
    awaitStable(1, lastOn1.offset());
    producer.beginTransaction();
    send(1, "json/a", 4, 8_000, "open");

    try (TopicDeltaLog log =
        new TopicDeltaLog(TOPIC, TopicDeltaLog.consumers(admin), 1, TopicDeltaLog.Bounds.DEFAULT)) {
      Map<Long, byte[]> found =
          log.read(
              "json/a",
              List.of(
                  new DeltaLog.Place(1, 5_000, 0),
                  new DeltaLog.Place(2, 3_000, 0),
                  new DeltaLog.Place(3, 7_000, 1),
                  new DeltaLog.Place(4, 8_000, 1)));
      assertThat(found.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L);
      assertThat(text(found.get(2L))).contains("clock went back");
      assertThat(text(found.get(3L))).contains("after a rescale");
      assertThat(log.read("json/a", List.of(new DeltaLog.Place(1, 5_000, 1))))
          .as("not on the partition the slot names")
          .isEmpty();
    } finally {
      producer.commitTransaction();
    }
  }

  @Test
  void shouldFindNothingPastAScanBoundOrRetention() throws Exception {
    producer.beginTransaction();
    RecordMetadata first = send(0, "json/r", 1, 10_000, "r1");
    for (int i = 0; i < 50; i++) {
      send(0, "json/noise", i, 10_000, "noise");
    }
    RecordMetadata last = send(0, "json/r", 2, 10_000, "r2");
    producer.commitTransaction();
    awaitStable(0, last.offset());
    List<DeltaLog.Place> wanted =
        List.of(new DeltaLog.Place(1, 10_000, 0), new DeltaLog.Place(2, 10_000, 0));

    try (TopicDeltaLog bounded =
        new TopicDeltaLog(
            TOPIC,
            TopicDeltaLog.consumers(admin),
            1,
            new TopicDeltaLog.Bounds(20, 1 << 20, Duration.ofSeconds(5)))) {
      assertThat(bounded.read("json/r", wanted).keySet()).containsExactly(1L);
    }
    try (Admin client = Admin.create(admin)) {
      client
          .deleteRecords(
              Map.of(
                  new TopicPartition(TOPIC, 0), RecordsToDelete.beforeOffset(first.offset() + 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (TopicDeltaLog log =
        new TopicDeltaLog(TOPIC, TopicDeltaLog.consumers(admin), 2, TopicDeltaLog.Bounds.DEFAULT)) {
      assertThat(log.read("json/r", wanted).keySet()).as("seq 1 deleted").containsExactly(2L);
      assertThat(log.read("json/r", wanted).keySet()).as("a reused consumer").containsExactly(2L);
    }
  }
}
