package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.broker.SharedBroker;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.Command;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault tests: in the middle of a stream of messages, either a processor JVM is killed with {@code
 * kill -9}, its state directory deleted and a new processor JVM started on the same configuration,
 * or the broker is killed with {@code kill -9} and started again on its data. Nothing may be lost,
 * applied twice or reordered, and every stored document must equal the fold of its deltas.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(CrashIntegrationTest.class);
  private static final int MESSAGES = 3000;
  private static final int DOCUMENTS = 300;
  private static final int PARTITIONS = 6;
  private static final int SECOND_HALF_PER_SECOND = 1000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(45);

  @TempDir Path temp;

  private final List<ProcessorJvm> started = new ArrayList<>();
  private final List<KafkaBroker> brokers = new ArrayList<>();

  @AfterEach
  void stopProcessorsThenBrokers() throws InterruptedException {
    for (ProcessorJvm processor : started) {
      processor.close();
    }
    brokers.forEach(KafkaBroker::stop);
  }

  @Test
  void shouldApplyEveryMessageExactlyOnceWhenAProcessorIsKilledAndItsStateWiped() throws Exception {
    long t0 = System.nanoTime();
    // Given the topics and a processor in its own JVM
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    Path stateDir = temp.resolve("state");
    int httpPort = ProcessorJvm.freePort();
    Path config = createTopicsAndConfig(bootstrap, topics, stateDir, httpPort);
    Path logs = Path.of("target", "it-logs", prefix);
    ProcessorJvm first = startHealthy(config, httpPort, logs.resolve("processor-1.log"), t0);

    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap);
        CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      // When the first half of the messages is sent and partly applied
      sendFirstHalf(producer, topics, outcomes, first);

      // And the processor is killed with kill -9 while the second half streams in
      SecondHalf secondHalf = SecondHalf.start(producer, topics);
      int appliedAtKill = outcomes.applications().size();
      first.killHard();
      int sentAtKill = secondHalf.sentSoFarOfAll();
      log.info(
          "killed processor 1 at {} ms: {} of {} sent, {} seen applied",
          millisSince(t0),
          sentAtKill,
          MESSAGES,
          appliedAtKill);

      // And its state directory is deleted before a new processor JVM starts on the same config
      Utils.delete(stateDir.toFile());
      assertThat(stateDir).doesNotExist();
      ProcessorJvm second = start(config, httpPort, logs.resolve("processor-2.log"));
      secondHalf.done().get(30, TimeUnit.SECONDS);
      second.awaitHealthy(START_TIMEOUT);
      log.info("processor 2 (pid {}) healthy after {} ms", second.pid(), millisSince(t0));

      assertAppliedExactlyOnceInOrder(outcomes, bootstrap, prefix, second, t0);
    }
  }

  @Test
  void shouldApplyEveryMessageExactlyOnceWhenTheBrokerIsKilledAndRestarted() throws Exception {
    long t0 = System.nanoTime();
    // Given a broker of this test's own, the topics and a processor in its own JVM
    KafkaBroker broker = startBroker(BrokerOptions.inDirectory(temp.resolve("broker")));
    String bootstrap = broker.bootstrapServers();
    String prefix = "broker-crash-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    int httpPort = ProcessorJvm.freePort();
    Path config = createTopicsAndConfig(bootstrap, topics, temp.resolve("state"), httpPort);
    ProcessorJvm processor =
        startHealthy(config, httpPort, Path.of("target", "it-logs", prefix, "processor.log"), t0);

    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap);
        CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      // When the first half of the messages is sent and partly applied
      sendFirstHalf(producer, topics, outcomes, processor);

      // And the broker is killed with kill -9 while the second half streams in, then started
      // again on the same ports and data
      SecondHalf secondHalf = SecondHalf.start(producer, topics);
      broker.kill();
      int sentAtKill = secondHalf.sentSoFarOfAll();
      log.info("killed the broker at {} ms: {} of {} sent", millisSince(t0), sentAtKill, MESSAGES);
      startBroker(broker.options());
      log.info("broker restarted after {} ms", millisSince(t0));
      secondHalf.done().get(60, TimeUnit.SECONDS);

      assertAppliedExactlyOnceInOrder(outcomes, bootstrap, prefix, processor, t0);
    }
  }

  private ProcessorJvm startHealthy(Path config, int httpPort, Path logFile, long t0)
      throws IOException, InterruptedException {
    ProcessorJvm processor = start(config, httpPort, logFile);
    processor.awaitHealthy(START_TIMEOUT);
    log.info("processor (pid {}) healthy after {} ms", processor.pid(), millisSince(t0));
    return processor;
  }

  private static Path createTopicsAndConfig(
      String bootstrap, TopicNames topics, Path stateDir, int httpPort) throws IOException {
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    return writeConfig(bootstrap, topics.prefix(), stateDir, httpPort);
  }

  /** Sends the first half of the messages and waits until a third of that half is applied. */
  private static void sendFirstHalf(
      KafkaProducer<String, byte[]> producer,
      TopicNames topics,
      CommittedOutcomes outcomes,
      ProcessorJvm processor)
      throws InterruptedException {
    for (int i = 0; i < MESSAGES / 2; i++) {
      producer.send(message(topics, i));
    }
    producer.flush();
    assertThat(outcomes.awaitUntil(o -> o.applications().size() >= MESSAGES / 6, START_TIMEOUT))
        .as(() -> "a third of the first half applied before the kill\n" + processor.logTail())
        .isTrue();
  }

  /** The second half of the messages, sent paced in the background. */
  private record SecondHalf(CompletableFuture<Void> done, AtomicInteger sent) {
    /** Starts sending and returns once a fifth of the second half is sent. */
    static SecondHalf start(KafkaProducer<String, byte[]> producer, TopicNames topics)
        throws InterruptedException {
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> done =
          CompletableFuture.runAsync(() -> sendPaced(producer, topics, MESSAGES / 2, sent));
      awaitAtLeast(sent, MESSAGES / 10, Duration.ofSeconds(10));
      return new SecondHalf(done, sent);
    }

    /** Messages sent so far of all; fewer than all, or the crash came too late to test anything. */
    int sentSoFarOfAll() {
      int n = MESSAGES / 2 + sent.get();
      assertThat(n).as("killed while messages were still being sent").isLessThan(MESSAGES);
      return n;
    }
  }

  private KafkaBroker startBroker(BrokerOptions options) {
    KafkaBroker broker = KafkaBroker.start(options);
    brokers.add(broker);
    return broker;
  }

  private static void assertAppliedExactlyOnceInOrder(
      CommittedOutcomes outcomes, String bootstrap, String prefix, ProcessorJvm processor, long t0)
      throws Exception {
    // Then every message is applied, and exactly once
    Set<String> sent = ids(0, MESSAGES);
    boolean allApplied =
        outcomes.awaitUntil(
            o -> o.applications().keySet().containsAll(sent), Duration.ofSeconds(60));
    assertThat(allApplied)
        .as(() -> "every sent id applied within 60 s\n" + processor.logTail())
        .isTrue();
    log.info("all {} messages applied after {} ms", MESSAGES, millisSince(t0));
    awaitEveryPartitionReadable(processor);
    log.info("every partition readable after {} ms", millisSince(t0));
    outcomes.readToEnd(Duration.ofSeconds(10));
    log.info("read to end after {} ms", millisSince(t0));
    assertThat(outcomes.applications().keySet()).isEqualTo(sent);
    assertThat(outcomes.applications().entrySet())
        .as("message ids applied more than once")
        .filteredOn(e -> e.getValue() != 1)
        .isEmpty();
    assertThat(outcomes.rejections()).as("rejections (a replay would show as DUPLICATE)").isEmpty();

    // And each document's seq runs 1..n without gap or repeat
    assertThat(outcomes.seqsByDoc()).hasSize(DOCUMENTS);
    outcomes
        .seqsByDoc()
        .forEach(
            (doc, seqs) ->
                assertThat(seqs)
                    .as(doc)
                    .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, seqs.size()).boxed().toList()));

    // And the invariant checker agrees: stored == fold(deltas) for every document
    int exit = VerifyRun.exitCode(bootstrap, prefix, processor.url());
    log.info("verified after {} ms", millisSince(t0));
    assertThat(exit).as("docstream verify exit code").isZero();
    log.info("done after {} ms", millisSince(t0));
  }

  private ProcessorJvm start(Path config, int httpPort, Path log) throws IOException {
    ProcessorJvm processor = CliJvm.processor(config, httpPort, log);
    started.add(processor);
    return processor;
  }

  private static Path writeConfig(String bootstrap, String prefix, Path stateDir, int httpPort)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", prefix);
    p.setProperty("topic.prefix", prefix);
    p.setProperty("state.dir", stateDir.toAbsolutePath().toString());
    p.setProperty("http.port", Integer.toString(httpPort));
    // The killed member holds its partitions until its session expires (default 45 s); a shorter
    // session lets the new JVM take over within the test's bounds.
    p.setProperty("kafka.session.timeout.ms", "10000");
    Path file = stateDir.resolveSibling("processor.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "CrashIntegrationTest");
    }
    return file;
  }

  /** Message i sets field {@code f<round>} of document {@code json/d-<i mod DOCUMENTS>} to i. */
  private static ProducerRecord<String, byte[]> message(TopicNames topics, int i) {
    ObjectNode body = Json.object().put("f" + (i / DOCUMENTS), i);
    Command command = Command.of(id(i), body);
    return new ProducerRecord<>(
        topics.commands(), "json/d-" + (i % DOCUMENTS), Json.bytes(command));
  }

  private static void sendPaced(
      KafkaProducer<String, byte[]> producer, TopicNames topics, int from, AtomicInteger sent) {
    long start = System.nanoTime();
    for (int i = from; i < MESSAGES; i++) {
      long due = start + (i - from) * 1_000_000_000L / SECOND_HALF_PER_SECOND;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      producer.send(message(topics, i));
      sent.incrementAndGet();
    }
    producer.flush();
  }

  private static void awaitAtLeast(AtomicInteger counter, int value, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (counter.get() < value) {
      assertThat(System.nanoTime()).as("waiting for " + value + " sends").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * Waits until the read API serves a document of every partition: a partition that is still
   * restoring answers 503, which {@code verify} would count as a violation.
   */
  private static void awaitEveryPartitionReadable(ProcessorJvm processor) throws Exception {
    Map<Integer, String> docPerPartition = new TreeMap<>();
    for (int d = 0; d < DOCUMENTS && docPerPartition.size() < PARTITIONS; d++) {
      String doc = doc(d);
      int partition =
          Utils.toPositive(Utils.murmur2(doc.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      docPerPartition.putIfAbsent(partition, doc);
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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

  private static Set<String> ids(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(CrashIntegrationTest::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
