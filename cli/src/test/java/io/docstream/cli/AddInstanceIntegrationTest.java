package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second processor instance joins under load: partitions move to it, nothing is lost or applied
 * twice, and throughout the move the first instance's read API answers every document whose
 * partition stays with 200, and every document whose partition moves with 200 (served or forwarded)
 * or 503 with Retry-After, never an error.
 */
class AddInstanceIntegrationTest {
  private static final int DOCUMENTS = 60;
  private static final int PARTITIONS = 6;
  private static final int MESSAGES_PER_SECOND = 100;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldMovePartitionsUnderLoadWithoutLossAndKeepAnsweringReads() throws Exception {
    // Given one instance serving every partition under a steady load
    String prefix = "add-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    String bootstrap = SharedBroker.bootstrapServers();
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean stopping = new AtomicBoolean();
    Set<String> otherStatuses = new TreeSet<>();
    Set<String> served = new TreeSet<>();
    Map<String, Integer> retryLater = new TreeMap<>();
    Set<Integer> movedPartitions;
    try (ProcessorApp a = start(prefix, dir.resolve("a"));
        KafkaProducer<String, byte[]> producer = producer(bootstrap);
        CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> running(a));
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(() -> sendPaced(producer, topics, sent, stopping));
      assertThat(
              outcomes.awaitUntil(
                  o -> o.applications().size() >= DOCUMENTS, Duration.ofSeconds(30)))
          .as("load applied before the second instance starts")
          .isTrue();

      // When a second instance joins, while every document is read from the first over and over
      try (ProcessorApp b = start(prefix, dir.resolve("b"))) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!(running(a) && running(b) && activeTasks(b) > 0)) {
          assertThat(System.nanoTime()).as("b took partitions").isLessThan(deadline);
          readAll(a, otherStatuses, served, retryLater);
        }
        readAll(a, otherStatuses, served, retryLater);
        movedPartitions = partitions(b);
        stopping.set(true);
        load.get(30, TimeUnit.SECONDS);

        // Then nothing is lost or applied twice, seqs have no gap, and verify passes
        int total = sent.get();
        assertThat(
                outcomes.awaitUntil(o -> o.applications().size() >= total, Duration.ofSeconds(60)))
            .as("all %d applied", total)
            .isTrue();
        outcomes.readToEnd(Duration.ofSeconds(10));
        assertThat(outcomes.applications().values()).containsOnly(1).hasSize(total);
        assertThat(outcomes.rejections()).isEmpty();
        outcomes
            .seqsByDoc()
            .forEach(
                (doc, seqs) ->
                    assertThat(seqs)
                        .as(doc)
                        .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, seqs.size()).boxed().toList()));
        assertThat(VerifyRun.exitCode(bootstrap, prefix, "http://127.0.0.1:" + a.httpPort()))
            .isZero();
      }
    }
    // And every read got 200 or 503 with Retry-After, 503 only for documents whose partition moved,
    // and every document was served during the move
    assertThat(movedPartitions).isNotEmpty().hasSizeLessThan(PARTITIONS);
    assertThat(otherStatuses).as("statuses other than 200 and 503 with Retry-After").isEmpty();
    assertThat(served).as("documents answered 200 during the move").hasSize(DOCUMENTS);
    Set<Integer> moved = movedPartitions;
    System.out.printf(
        "add instance: moved partitions %s, 503 answers per document %s%n", moved, retryLater);
    assertThat(retryLater.keySet())
        .as("documents answered 503 (moved partitions: %s)", moved)
        .allSatisfy(doc -> assertThat(moved).contains(partitionOf(doc)));
  }

  private void readAll(
      ProcessorApp app, Set<String> other, Set<String> served, Map<String, Integer> retryLater)
      throws Exception {
    for (int d = 0; d < DOCUMENTS; d++) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + app.httpPort() + "/docs/" + doc(d)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      boolean later = status == 503 && response.headers().firstValue("Retry-After").isPresent();
      if (status == 200) {
        served.add(doc(d));
      } else if (later) {
        retryLater.merge(doc(d), 1, Integer::sum);
      } else {
        other.add(status + " " + response.body());
      }
    }
  }

  private static Set<Integer> partitions(ProcessorApp app) {
    return app.streams().metadataForLocalThreads().stream()
        .flatMap(t -> t.activeTasks().stream())
        .flatMap(t -> t.topicPartitions().stream())
        .map(tp -> tp.partition())
        .collect(Collectors.toSet());
  }

  private static void sendPaced(
      KafkaProducer<String, byte[]> producer,
      TopicNames topics,
      AtomicInteger sent,
      AtomicBoolean stopping) {
    long startNanos = System.nanoTime();
    for (int i = 0; !stopping.get(); i++) {
      long due = startNanos + i * 1_000_000_000L / MESSAGES_PER_SECOND;
      LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
      Command c = Command.of("m-" + i, Json.object().put("n", i));
      producer.send(new ProducerRecord<>(topics.commands(), doc(i % DOCUMENTS), Json.bytes(c)));
      sent.incrementAndGet();
    }
    producer.flush();
  }

  private ProcessorApp start(String prefix, Path stateDir) throws Exception {
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", SharedBroker.bootstrapServers());
    settings.put("application.id", prefix);
    settings.put("topic.prefix", prefix);
    settings.put("http.port", "0");
    settings.put("state.dir", stateDir.toString());
    return ProcessorApp.start(ProcessorConfig.from(new ConfigReader(settings)));
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static boolean running(ProcessorApp app) {
    return app.streams().state() == KafkaStreams.State.RUNNING;
  }

  private static long activeTasks(ProcessorApp app) {
    return partitions(app).size();
  }

  private static int partitionOf(String doc) {
    return Utils.toPositive(Utils.murmur2(doc.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static String doc(int d) {
    return "json/d-" + d;
  }
}
