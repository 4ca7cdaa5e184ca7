package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code docstream verify} passes while messages flow, and fails on a forged gap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VerifyIntegrationTest {
  private static final int DOCUMENTS = 20;
  private static final int MAX_MESSAGES = 30_000;

  private String bootstrap;
  private ProcessorApp processor;
  private TopicNames topics;

  @BeforeAll
  void startProcessor(@TempDir Path temp) throws Exception {
    bootstrap = SharedBroker.bootstrapServers();
    topics = new TopicNames("verify-" + UUID.randomUUID().toString().substring(0, 8));
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, 3, (short) 1);
    processor =
        ProcessorApp.start(
            ProcessorConfig.from(
                new ConfigReader(
                    Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "application.id",
                        topics.prefix(),
                        "topic.prefix",
                        topics.prefix(),
                        "state.dir",
                        temp.resolve("state").toString(),
                        "http.port",
                        "0",
                        "commit.interval.ms",
                        "50"))));
    processor.awaitRunning(Duration.ofSeconds(60));
  }

  @AfterAll
  void stopProcessor() {
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldPassWhileMessagesKeepFlowing() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Integer> sent =
        CompletableFuture.supplyAsync(
            () -> {
              try (KafkaProducer<String, String> producer = producer()) {
                int n = 0;
                while (!stop.get() && n < MAX_MESSAGES) {
                  producer.send(
                      new ProducerRecord<>(
                          topics.commands(),
                          "json/v-" + (n % DOCUMENTS),
                          "{\"id\":\"m-" + n + "\",\"body\":{\"n\":" + n + "}}"));
                  n++;
                  if (n % 50 == 0) {
                    Thread.sleep(100);
                  }
                }
                return n;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
              }
            });
    try {
      Thread.sleep(2000);
      Result during = verify(topics);
      assertThat(during.exit()).as(during.output()).isZero();
      assertThat(during.output()).contains("ok: no gap");
      assertThat(sent).as("still sending while verify ran").isNotDone();
    } finally {
      stop.set(true);
    }
    assertThat(sent.get(30, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void shouldFailOnAGapInADocumentsDeltas() throws Exception {
    TopicNames forged =
        new TopicNames("verify-forged-" + UUID.randomUUID().toString().substring(0, 8));
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), forged, 1, (short) 1);
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(forged.deltas(), "json/f", delta(1)));
      producer.send(new ProducerRecord<>(forged.deltas(), "json/f", delta(3)));
    }

    Result result = verify(forged);

    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("json/f: seq 3 follows 1");
  }

  @Test
  void shouldFoldADocumentsDeltasInSeqOrderAcrossTwoPartitions() throws Exception {
    TopicNames forged =
        new TopicNames("verify-split-" + UUID.randomUUID().toString().substring(0, 8));
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), forged, 2, (short) 1);
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(forged.deltas(), 1, "json/s", delta(3)));
      producer.send(new ProducerRecord<>(forged.deltas(), 1, "json/s", delta(4)));
      producer.send(new ProducerRecord<>(forged.deltas(), 0, "json/s", delta(1)));
      producer.send(new ProducerRecord<>(forged.deltas(), 0, "json/s", delta(2)));
    }

    Result result = verify(forged);

    // The processor does not hold json/s, so verify fails, but not on its seq order
    assertThat(result.output()).contains("checked 4 deltas of 1 documents");
    assertThat(result.output()).doesNotContain("follows").doesNotContain("repeats");
  }

  private static String delta(long seq) {
    return "{\"seq\":"
        + seq
        + ",\"patch\":{\"n\":"
        + seq
        + "},\"ids\":[\"f-"
        + seq
        + "\"],\"ts\":1}";
  }

  private record Result(int exit, String output) {}

  private Result verify(TopicNames deployment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit =
          VerifyRun.exitCode(
              bootstrap,
              deployment.prefix(),
              "http://127.0.0.1:" + processor.httpPort(),
              "--settle-seconds",
              "20");
    } finally {
      System.setOut(stdout);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8));
  }

  private KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }
}
