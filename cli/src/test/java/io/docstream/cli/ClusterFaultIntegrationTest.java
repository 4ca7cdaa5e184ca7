package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaCluster;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.Command;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault campaign on a real three-node cluster with two processor JVMs: under a steady load of
 * unique ids to many documents, each round kills one process with {@code kill -9} (the active
 * controller, the leader of a commands partition, a processor, or one of two gateway JVMs while
 * WebSocket clients are connected to both and sending) and starts it again, the load still going.
 * After every round: nothing lost, nothing applied twice, no seq gap, and {@code verify} passes
 * (stored == fold(deltas)); after a gateway round also every client gap-free and equal to the
 * processor, each of its ids applied and acked once ({@link GatewayKillRound}). Each round reports
 * how long after the kill the first delta of a message sent after it came (for a gateway, the first
 * delta a client of the killed gateway received), and when every partition had one.
 *
 * <p>CI runs {@value #CI_ROUNDS} rounds (one of each fault); {@code scripts/fault-campaign} runs
 * more with {@code -Ddocstream.campaign.rounds=N -Ddocstream.campaign.results=<file>}.
 */
class ClusterFaultIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(ClusterFaultIntegrationTest.class);
  private static final int CI_ROUNDS = 4;
  private static final int FAULTS = 4;
  private static final List<String> GATEWAY_DOCS = List.of("json/gw-a", "json/gw-b", "json/gw-c");
  private static final int DOCUMENTS = 100;
  private static final int PARTITIONS = 6;
  private static final int MESSAGES_PER_SECOND = 100;
  private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(2);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration CATCH_UP = Duration.ofSeconds(90);

  @TempDir Path temp;

  private final List<ProcessorJvm> processors = new ArrayList<>();
  private final List<Path> configs = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<ProcessorJvm> started = new ArrayList<>();
  private KafkaCluster cluster;
  private GatewayKillRound gateways;

  @AfterEach
  void stopProcessorsThenCluster() throws InterruptedException {
    if (gateways != null) {
      gateways.close();
    }
    for (ProcessorJvm processor : started) {
      processor.close();
    }
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void shouldLoseNothingWhenBrokersAndProcessorsAreKilledInTurn() throws Exception {
    int rounds = Integer.getInteger("docstream.campaign.rounds", CI_ROUNDS);
    // Given three Kafka nodes, topics with three replicas and two processor JVMs
    cluster =
        KafkaCluster.start(
            BrokerOptions.inDirectory(temp.resolve("kafka"))
                .withHeapMegabytes(KafkaCluster.DEFAULT_HEAP_MEGABYTES)
                .withStartTimeout(START_TIMEOUT),
            3);
    String bootstrap = cluster.bootstrapServers();
    String prefix = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 3);
    Path logs = Path.of("target", "it-logs", prefix);
    for (int i = 0; i < 2; i++) {
      int port = ProcessorJvm.freePort();
      Path config = writeConfig(bootstrap, prefix, temp.resolve("state-" + i), port);
      configs.add(config);
      ports.add(port);
      processors.add(start(config, port, logs.resolve("processor-" + i + "-0.log")));
    }
    for (ProcessorJvm processor : processors) {
      processor.awaitHealthy(START_TIMEOUT);
    }

    List<String> report = new ArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap);
        CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      for (int round = 1; round <= rounds; round++) {
        if (round % FAULTS == 0) {
          report.add(gatewayRound(round, producer, topics, sent, outcomes, bootstrap, logs));
          continue;
        }
        // When a load runs, one process is killed with kill -9 and started again
        Load load = Load.start(producer, topics, sent);
        Thread.sleep(LOAD_BEFORE_KILL.toMillis());
        int sentAtKill = sent.get();
        long killNanos = System.nanoTime();
        Restart restart = kill(round, topics, logs);
        boolean delta =
            outcomes.awaitUntil(o -> appliedFrom(o, sentAtKill, 1), Duration.ofSeconds(60));
        long firstDeltaMillis = millisSince(killNanos);
        boolean everyPartition =
            outcomes.awaitUntil(
                o -> appliedFrom(o, sentAtKill, PARTITIONS), Duration.ofSeconds(60));
        long everyPartitionMillis = millisSince(killNanos);
        assertThat(delta && everyPartition)
            .as("messages sent after the kill applied on every partition")
            .isTrue();
        restart.run();
        long restartedMillis = millisSince(killNanos);
        load.stop();
        String line =
            String.format(
                "| %d | %s | %d | %d | %d | %d |",
                round,
                restart.what(),
                firstDeltaMillis,
                everyPartitionMillis,
                restartedMillis,
                sent.get());
        log.info("round {}: {}", round, line);
        report.add(line);

        // Then every message sent so far is applied exactly once, gap-free, and verify passes
        assertExactlyOnceAndVerified(outcomes, sent.get(), bootstrap, prefix);
      }
    }
    writeReport(report, rounds);
  }

  /**
   * A gateway round: two gateways (started on the first such round) with WebSocket clients that
   * keep sending, the load still going; gateway 0 is killed, checked, and started again.
   */
  private String gatewayRound(
      int round,
      KafkaProducer<String, byte[]> producer,
      TopicNames topics,
      AtomicInteger sent,
      CommittedOutcomes outcomes,
      String bootstrap,
      Path logs)
      throws Exception {
    if (gateways == null) {
      String urls =
          ports.stream()
              .map(p -> "http://127.0.0.1:" + p)
              .reduce((a, b) -> a + "," + b)
              .orElseThrow();
      gateways =
          GatewayKillRound.start(
              bootstrap, topics.prefix(), urls, null, GATEWAY_DOCS, temp.resolve("gw"), logs);
    }
    // When a load runs and gateway 0 of 2 is killed with kill -9 while its clients send
    Load load = Load.start(producer, topics, sent);
    GatewayKillRound.Figures figures = gateways.killAndCheck(this::read);
    gateways.restartKilled(logs.resolve("gateway-0-" + round + ".log"));
    long restartedMillis = millisSince(figures.killedNanos());
    load.stop();
    String line =
        String.format(
            "| %d | gateway 0 of 2 (clients reconnected within %d ms, %d sends all acked %d ms"
                + " after the kill, %d resent) | %d | - | %d | %d |",
            round,
            figures.reconnectedMillis(),
            figures.sent(),
            figures.allAckedMillis(),
            figures.resent(),
            figures.firstDeltaMillis(),
            restartedMillis,
            sent.get());
    log.info("round {}: {}", round, line);

    // Then the load too is applied exactly once, gap-free, and verify passes
    assertExactlyOnceAndVerified(outcomes, sent.get(), bootstrap, topics.prefix());
    return line;
  }

  /**
   * A document or its deltas from processor 0's read API (forwarded when the other owns it; a
   * partition still moving after an earlier round answers 503 for a while).
   */
  private JsonNode read(String path) throws Exception {
    HttpRequest get = HttpRequest.newBuilder(URI.create(processors.get(0).url() + path)).build();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
    while (response.statusCode() == 503 && System.nanoTime() - deadline < 0) {
      Thread.sleep(100);
      response = http.send(get, HttpResponse.BodyHandlers.ofString());
    }
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private interface Step {
    void run() throws Exception;
  }

  private record Restart(String what, Step step) {
    void run() throws Exception {
      step.run();
    }
  }

  /**
   * Round r kills, in turn: the active controller, a commands partition leader, a processor (and
   * then a gateway: {@link #gatewayRound}).
   */
  private Restart kill(int round, TopicNames topics, Path logs) throws Exception {
    switch (round % FAULTS) {
      case 1 -> {
        int node = cluster.activeController();
        cluster.kill(node);
        return brokerRestart("controller (node " + node + ")", node);
      }
      case 2 -> {
        int node = cluster.leaderOf(topics.commands(), round % PARTITIONS);
        cluster.kill(node);
        return brokerRestart(
            "leader of " + topics.commands() + "-" + (round % PARTITIONS) + " (node " + node + ")",
            node);
      }
      default -> {
        int index = (round / FAULTS) % 2;
        ProcessorJvm dead = processors.get(index);
        dead.killHard();
        return new Restart(
            "processor " + index + " of 2",
            () -> {
              ProcessorJvm again =
                  start(
                      configs.get(index),
                      ports.get(index),
                      logs.resolve("processor-" + index + "-" + round + ".log"));
              again.awaitHealthy(START_TIMEOUT);
              processors.set(index, again);
            });
      }
    }
  }

  private Restart brokerRestart(String what, int node) {
    return new Restart(
        "broker: " + what,
        () -> {
          cluster.restart(node);
          cluster.awaitFullyReplicated(CATCH_UP);
        });
  }

  /** A paced stream of messages with unique ids, round-robin over the documents. */
  private record Load(CompletableFuture<Void> done, AtomicBoolean stopping) {
    static Load start(
        KafkaProducer<String, byte[]> producer, TopicNames topics, AtomicInteger sent) {
      AtomicBoolean stopping = new AtomicBoolean();
      CompletableFuture<Void> done =
          CompletableFuture.runAsync(
              () -> {
                long startNanos = System.nanoTime();
                int from = sent.get();
                for (int i = from; !stopping.get(); i++) {
                  long due = startNanos + (i - from) * 1_000_000_000L / MESSAGES_PER_SECOND;
                  LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
                  producer.send(message(topics, i));
                  sent.incrementAndGet();
                }
                producer.flush();
              });
      return new Load(done, stopping);
    }

    void stop() throws Exception {
      stopping.set(true);
      done.get(120, TimeUnit.SECONDS);
    }
  }

  private void assertExactlyOnceAndVerified(
      CommittedOutcomes outcomes, int sent, String bootstrap, String prefix) throws Exception {
    boolean allApplied = outcomes.awaitUntil(o -> o.applications().size() >= sent, CATCH_UP);
    assertThat(allApplied).as(() -> "all " + sent + " applied\n" + logTails()).isTrue();
    outcomes.readToEnd(Duration.ofSeconds(10));
    assertThat(loadIds(outcomes)).hasSize(sent);
    for (int i = 0; i < sent; i++) {
      assertThat(outcomes.applications().get(id(i))).as("applications of " + id(i)).isEqualTo(1);
    }
    // A gateway answers an id its client sent again after a kill with a DUPLICATE: only there.
    assertThat(outcomes.rejections())
        .as("rejections (a replay would show as DUPLICATE)")
        .allSatisfy(
            r -> {
              assertThat(GATEWAY_DOCS).contains(r.key());
              assertThat(r.code()).isEqualTo(ErrorCode.DUPLICATE.code());
            });
    outcomes
        .seqsByDoc()
        .forEach(
            (doc, seqs) ->
                assertThat(seqs)
                    .as(doc)
                    .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, seqs.size()).boxed().toList()));
    awaitEveryPartitionReadable(processors.get(0));
    // verify checks every document, the gateway clients' too
    assertThat(VerifyRun.exitCode(bootstrap, prefix, processors.get(0).url()))
        .as("docstream verify exit code")
        .isZero();
  }

  /** The ids of the load's messages applied so far (the gateway clients' ids are others). */
  private static List<String> loadIds(CommittedOutcomes outcomes) {
    return outcomes.applications().keySet().stream().filter(id -> id.startsWith("m-")).toList();
  }

  /** Whether messages from {@code firstIndex} on are applied on at least {@code partitions}. */
  private static boolean appliedFrom(CommittedOutcomes outcomes, int firstIndex, int partitions) {
    return loadIds(outcomes).stream()
            .mapToInt(id -> Integer.parseInt(id.substring(2)))
            .filter(i -> i >= firstIndex)
            .map(i -> partitionOf(doc(i % DOCUMENTS)))
            .distinct()
            .count()
        >= partitions;
  }

  private static int partitionOf(String doc) {
    return Utils.toPositive(Utils.murmur2(doc.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private String logTails() {
    return processors.stream().map(ProcessorJvm::logTail).reduce("", String::concat);
  }

  private ProcessorJvm start(Path config, int httpPort, Path logFile) throws IOException {
    ProcessorJvm processor = CliJvm.processor(config, httpPort, logFile);
    started.add(processor);
    return processor;
  }

  private static void writeReport(List<String> rounds, int count) throws IOException {
    String file = System.getProperty("docstream.campaign.results");
    if (file == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add(
        String.format(
            "Rounds: %d; %d documents, %d partitions, %d msg/s of unique ids, 3 nodes (heap %d MB),"
                + " 2 processor JVMs, session.timeout.ms 6000",
            count,
            DOCUMENTS,
            PARTITIONS,
            MESSAGES_PER_SECOND,
            KafkaCluster.DEFAULT_HEAP_MEGABYTES));
    lines.add("");
    lines.add(
        "| round | killed (kill -9) | first delta after kill, ms | a delta on every partition, ms |"
            + " restarted and caught up, ms | sent so far |");
    lines.add("|---:|---|---:|---:|---:|---:|");
    lines.addAll(rounds);
    Files.write(
        Path.of(file),
        lines,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static Path writeConfig(String bootstrap, String prefix, Path stateDir, int httpPort)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", prefix);
    p.setProperty("topic.prefix", prefix);
    p.setProperty("topic.replication.factor", "3");
    p.setProperty("state.dir", stateDir.toAbsolutePath().toString());
    p.setProperty("http.port", Integer.toString(httpPort));
    // The broker's smallest allowed session: a killed member's partitions move after 6 s.
    p.setProperty("kafka.session.timeout.ms", "6000");
    p.setProperty("kafka.heartbeat.interval.ms", "1500");
    Files.createDirectories(stateDir);
    Path file = stateDir.resolveSibling(stateDir.getFileName() + ".properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "ClusterFaultIntegrationTest");
    }
    return file;
  }

  private static ProducerRecord<String, byte[]> message(TopicNames topics, int i) {
    ObjectNode body = Json.object().put("f" + (i / DOCUMENTS), i);
    return new ProducerRecord<>(
        topics.commands(), doc(i % DOCUMENTS), Json.bytes(Command.of(id(i), body)));
  }

  /** Waits until the read API serves a document of every partition (restoring ones answer 503). */
  private static void awaitEveryPartitionReadable(ProcessorJvm processor) throws Exception {
    Map<Integer, String> docPerPartition = new TreeMap<>();
    for (int d = 0; d < DOCUMENTS && docPerPartition.size() < PARTITIONS; d++) {
      docPerPartition.putIfAbsent(partitionOf(doc(d)), doc(d));
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    for (String doc : docPerPartition.values()) {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(processor.url() + "/docs/" + doc)).build();
      while (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
        assertThat(System.nanoTime()).as(doc + " readable").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static String doc(int d) {
    return "json/d-" + d;
  }

  private static String id(int i) {
    return "m-" + i;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
