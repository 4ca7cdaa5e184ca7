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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
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
 * timestamps even when those are not monotonic, waited for while their transaction is open, pending
 * when it stays open past the time bound, and not found (not pending) once the records bound is hit
 * or retention deleted them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicDeltaLogIntegrationTest {
  private static final String TOPIC = "log.deltas";

  /** Records deleted from it: offset lookups by time behave otherwise after a deletion. */
  private static final String TRIMMED = "log.trimmed";

  /** Short enough to keep the tests that wait it out quick. */
  private static final TopicDeltaLog.Bounds ONE_SECOND =
      new TopicDeltaLog.Bounds(200_000, 256L << 20, Duration.ofSeconds(1));

  private KafkaBroker broker;
  private Properties admin;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    broker = KafkaBroker.start(BrokerOptions.inDirectory(temp.resolve("broker")));
    admin = TopicSetup.adminProps(broker.bootstrapServers(), Map.of());
    try (Admin client = Admin.create(admin)) {
      client
          .createTopics(
              List.of(new NewTopic(TOPIC, 2, (short) 1), new NewTopic(TRIMMED, 1, (short) 1)))
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
    return send(TOPIC, partition, doc, seq, ts, marker);
  }

  private RecordMetadata send(
      String topic, int partition, String doc, long seq, long ts, String marker) throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                topic,
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
    awaitStable(new TopicPartition(TOPIC, partition), offset);
  }

  private void awaitStable(TopicPartition tp, long offset) {
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
        new TopicDeltaLog(TOPIC, TopicDeltaLog.consumers(admin), 1, ONE_SECOND)) {
      DeltaLog.Found found =
          log.read(
              "json/a",
              List.of(
                  new DeltaLog.Place(1, 5_000, 0),
                  new DeltaLog.Place(2, 3_000, 0),
                  new DeltaLog.Place(3, 7_000, 1),
                  new DeltaLog.Place(4, 8_000, 1)));
      assertThat(found.deltas().keySet()).containsExactlyInAnyOrder(1L, 2L, 3L);
      assertThat(text(found.deltas().get(2L))).contains("clock went back");
      assertThat(text(found.deltas().get(3L))).contains("after a rescale");
      assertThat(found.pending()).as("still open after the time bound").containsExactly(4L);
      DeltaLog.Found elsewhere = log.read("json/a", List.of(new DeltaLog.Place(1, 5_000, 1)));
      assertThat(elsewhere.deltas()).as("not on the partition the slot names").isEmpty();
      assertThat(elsewhere.pending()).as("a later delta of json/a is there: gone").isEmpty();
    } finally {
      producer.commitTransaction();
    }
  }

  @Test
  void shouldWaitForDeltasWhoseTransactionIsStillOpen() throws Exception {
    // Given json/w's seq 1 committed, and seqs 2 and 3 in a transaction still open, as a processor
    // whose store (and slots) already hold them until its next commit; their timestamps (a
    // client's clock) ahead of every committed record's, commit markers included
    long now = System.currentTimeMillis();
    long ahead = now + 60_000;
    producer.beginTransaction();
    RecordMetadata committed = send(0, "json/w", 1, now, "w1");
    producer.commitTransaction();
    awaitStable(0, committed.offset());
    producer.beginTransaction();
    send(0, "json/w", 2, ahead, "w2");
    send(0, "json/w", 3, ahead + 1, "w3");

    ScheduledExecutorService commits = Executors.newSingleThreadScheduledExecutor();
    try (TopicDeltaLog log =
        new TopicDeltaLog(TOPIC, TopicDeltaLog.consumers(admin), 2, TopicDeltaLog.Bounds.DEFAULT)) {
      // When the transaction commits while reads look for them
      Future<?> commit = commits.schedule(producer::commitTransaction, 300, TimeUnit.MILLISECONDS);
      CompletableFuture<DeltaLog.Found> onlyOpen =
          CompletableFuture.supplyAsync(
              () -> log.read("json/w", List.of(new DeltaLog.Place(2, ahead, 0))));
      DeltaLog.Found all =
          log.read(
              "json/w",
              List.of(
                  new DeltaLog.Place(1, now, 0),
                  new DeltaLog.Place(2, ahead, 0),
                  new DeltaLog.Place(3, ahead + 1, 0)));
      commit.get(30, TimeUnit.SECONDS);

      // Then they find them once committed, also the read that no committed record was as late as
      assertThat(all.deltas().keySet()).containsExactlyInAnyOrder(1L, 2L, 3L);
      assertThat(text(all.deltas().get(3L))).contains("w3");
      assertThat(all.pending()).isEmpty();
      assertThat(onlyOpen.get(30, TimeUnit.SECONDS).deltas().keySet()).containsExactly(2L);
    } finally {
      commits.shutdownNow();
    }
  }

  @Test
  void shouldFindNothingPastTheRecordsBoundOrRetentionAndWaitForNeither() throws Exception {
    producer.beginTransaction();
    RecordMetadata first = send(TRIMMED, 0, "json/r", 1, 10_000, "r1");
    for (int i = 0; i < 50; i++) {
      send(TRIMMED, 0, "json/noise", i, 10_000, "noise");
    }
    RecordMetadata last = send(TRIMMED, 0, "json/r", 2, 10_000, "r2");
    producer.commitTransaction();
    TopicPartition trimmed = new TopicPartition(TRIMMED, 0);
    awaitStable(trimmed, last.offset());
    List<DeltaLog.Place> wanted =
        List.of(new DeltaLog.Place(1, 10_000, 0), new DeltaLog.Place(2, 10_000, 0));

    try (TopicDeltaLog bounded =
        new TopicDeltaLog(
            TRIMMED,
            TopicDeltaLog.consumers(admin),
            1,
            new TopicDeltaLog.Bounds(20, 1 << 20, Duration.ofSeconds(5)))) {
      DeltaLog.Found found = bounded.read("json/r", wanted);
      assertThat(found.deltas().keySet()).containsExactly(1L);
      assertThat(found.pending()).as("past the records bound: not found").isEmpty();
    }
    try (Admin client = Admin.create(admin)) {
      client
          .deleteRecords(Map.of(trimmed, RecordsToDelete.beforeOffset(first.offset() + 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (TopicDeltaLog log =
        new TopicDeltaLog(
            TRIMMED, TopicDeltaLog.consumers(admin), 2, TopicDeltaLog.Bounds.DEFAULT)) {
      DeltaLog.Found found = log.read("json/r", wanted);
      assertThat(found.deltas().keySet()).as("seq 1 deleted").containsExactly(2L);
      assertThat(found.pending()).as("seq 2 read after it: gone, not pending").isEmpty();
      assertThat(log.read("json/r", wanted).deltas().keySet())
          .as("a reused consumer")
          .containsExactly(2L);
    }
  }
}
