package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.OrphanGuard;
import io.docstream.broker.SharedBroker;
import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.Generation;
import io.docstream.topology.TopicSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docstream rescale} from 6 to 12 partitions, killed with {@code kill -9} halfway through
 * its copy and run again: every document keeps its seq, its dedupe ids, its pending timer, its read
 * API answers, and {@code verify} passes.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class RescaleIntegrationTest {
  private static final Logger log = LoggerFactory.getLogger(RescaleIntegrationTest.class);
  private static final int DOCUMENTS = 300;
  private static final int GAMES = 3;
  private static final long TURN_MILLIS = 30_000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int WATCHED = 40;
  private static final String SECRET = "rescale-test-secret-of-at-least-32-bytes";

  @TempDir Path temp;

  private final List<ProcessorJvm> processors = new ArrayList<>();
  private final List<GatewayApp> gateways = new ArrayList<>();
  private final List<GapCheckingSubscriber> subscribers = new ArrayList<>();

  @AfterEach
  void stopProcessors() throws InterruptedException {
    subscribers.forEach(GapCheckingSubscriber::close);
    gateways.forEach(GatewayApp::close);
    for (ProcessorJvm processor : processors) {
      processor.close();
    }
  }

  @Test
  void shouldMoveEveryDocumentsStateAcrossAKilledAndRepeatedRescale() throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "rescale-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, 6, (short) 1);
    int httpPort = ProcessorJvm.freePort();
    Path config = writeConfig(bootstrap, prefix, temp.resolve("state"), httpPort);
    Path logs = Path.of("target", "it-logs", prefix);

    // Given 300 documents with two messages each and three card games with a turn timer pending
    ProcessorJvm first = start(config, httpPort, logs.resolve("processor-1.log"));
    long gamesStarted = System.currentTimeMillis();
    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap)) {
      for (int i = 0; i < DOCUMENTS; i++) {
        for (int m = 1; m <= 2; m++) {
          producer.send(json(topics, i, m));
        }
      }
      for (int g = 0; g < GAMES; g++) {
        long ts = gamesStarted + g;
        producer.send(cards(topics, g, "j1", "alice", "{\"op\":\"join\"}", ts));
        producer.send(cards(topics, g, "j2", "bob", "{\"op\":\"join\"}", ts));
        producer.send(cards(topics, g, "s1", "alice", "{\"op\":\"start\"}", ts));
      }
    }
    try (CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      assertThat(
              outcomes.awaitUntil(
                  o -> o.applications().size() >= DOCUMENTS * 2 + GAMES * 3, START_TIMEOUT))
          .as(first::logTail)
          .isTrue();
      assertThat(outcomes.applications().keySet()).noneMatch(id -> id.startsWith("timer:"));
    }
    // And a gateway whose client watches 40 documents, connected across the whole rescale
    GatewayApp gateway = startGateway(bootstrap, prefix, first.url());
    gateways.add(gateway);
    GapCheckingSubscriber subscriber = new GapCheckingSubscriber(gateway.port(), SECRET, "alice");
    subscribers.add(subscriber);
    IntStream.range(0, WATCHED).forEach(i -> subscriber.subscribe(doc(i)));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> IntStream.range(0, WATCHED).allMatch(i -> subscriber.seq(doc(i)) == 2));
    first.close();

    // When the rescale to 12 partitions is killed with kill -9 halfway through its copy
    Path rescaleLog = logs.resolve("rescale-1.log");
    Process killed = rescaleJvm(bootstrap, prefix, rescaleLog);
    Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(rescaleLog) && Files.readString(rescaleLog).contains("moved "));
    killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    log.info("rescale killed:\n{}", Files.readString(rescaleLog));
    assertThat(Generation.current(adminProps(bootstrap), topics, prefix))
        .isEqualTo(Generation.FIRST);

    // And run again to the end, then once more
    Result rerun = rescale(bootstrap, prefix);
    log.info("rescale rerun:\n{}", rerun.output());
    assertThat(rerun.exit()).as(rerun.output()).isZero();
    assertThat(rerun.output()).contains("moved " + (DOCUMENTS + GAMES) + " documents");
    Result again = rescale(bootstrap, prefix);
    assertThat(again.exit()).isZero();
    assertThat(again.output()).contains("already rescaled to 12 partitions");
    assertThat(Generation.current(adminProps(bootstrap), topics, prefix))
        .isEqualTo(new Generation(2, 12));
    assertThat(TopicSetup.partitions(adminProps(bootstrap), topics.commands())).isEqualTo(12);
    assertThat(TopicSetup.partitions(adminProps(bootstrap), topics.deltas())).isEqualTo(12);

    // And the processor starts again on the new generation
    ProcessorJvm second = start(config, httpPort, logs.resolve("processor-2.log"));
    try (KafkaProducer<String, byte[]> producer = TestProducers.idempotent(bootstrap)) {
      for (int i = 0; i < DOCUMENTS; i++) {
        producer.send(json(topics, i, 3));
        producer.send(json(topics, i, 1));
      }
    }

    // Then every document continues at seq 3, and a resent id is a DUPLICATE naming seq 1
    try (CommittedOutcomes outcomes = new CommittedOutcomes(bootstrap, topics)) {
      assertThat(
              outcomes.awaitUntil(
                  o ->
                      o.applications().size() >= DOCUMENTS * 3 + GAMES * 4
                          && o.rejections().size() >= DOCUMENTS,
                  Duration.ofSeconds(60)))
          .as(second::logTail)
          .isTrue();
      for (int i = 0; i < DOCUMENTS; i++) {
        assertThat(outcomes.seqsByDoc().get(doc(i)).stream().sorted().toList())
            .isEqualTo(List.of(1L, 2L, 3L));
      }
      assertThat(outcomes.rejections())
          .hasSize(DOCUMENTS)
          .allSatisfy(
              r -> {
                assertThat(r.value().path("code").asInt()).isEqualTo(ErrorCode.DUPLICATE.code());
                assertThat(r.value().path("seq").asLong()).isEqualTo(1);
              });
      // And each game's turn timer, scheduled before the rescale, fired once after it
      for (int g = 0; g < GAMES; g++) {
        assertThat(outcomes.seqsByDoc().get(game(g)).stream().sorted().toList())
            .isEqualTo(List.of(1L, 2L, 3L, 4L));
      }
      for (int g = 0; g < GAMES; g++) {
        String firstFire = "timer:turn:" + (gamesStarted + g + TURN_MILLIS) + ":";
        assertThat(
                outcomes.applications().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(firstFire))
                    .map(Map.Entry::getValue)
                    .toList())
            .containsExactly(1);
      }
    }

    // And the gateway's client reached seq 3 of every watched document without a gap
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> IntStream.range(0, WATCHED).allMatch(i -> subscriber.seq(doc(i)) == 3));
    assertThat(subscriber.gaps()).isEmpty();
    log.info(
        "gateway client: {} reset snapshot(s) over {} documents", subscriber.resets(), WATCHED);

    // And the read API answers as before
    JsonNode served = getJson(second.url() + "/docs/" + doc(7));
    assertThat(served.path("seq").asLong()).isEqualTo(3);
    assertThat(served.path("data")).isEqualTo(Json.parse("{\"m1\":1,\"m2\":2,\"m3\":3}"));
    JsonNode after = getJson(second.url() + "/docs/" + doc(7) + "/deltas?after=1");
    assertThat(after.path("deltas").findValuesAsText("seq")).containsExactly("2", "3");

    // And verify passes with documents whose deltas lie on two partitions
    assertThat(VerifyRun.exitCode(bootstrap, prefix, second.url())).isZero();
  }

  private ProcessorJvm start(Path config, int httpPort, Path logFile) throws Exception {
    ProcessorJvm processor = CliJvm.processor(config, httpPort, logFile);
    processors.add(processor);
    processor.awaitHealthy(START_TIMEOUT);
    return processor;
  }

  private static String doc(int i) {
    return "json/d" + i;
  }

  private static String game(int g) {
    return "cards/g" + g;
  }

  private static ProducerRecord<String, byte[]> json(TopicNames topics, int i, int m) {
    Command command =
        new Command(
            "d" + i + "-" + m,
            Json.parse("{\"m" + m + "\":" + m + "}"),
            "alice",
            System.currentTimeMillis(),
            null);
    return new ProducerRecord<>(topics.commands(), doc(i), Json.bytes(command));
  }

  private static ProducerRecord<String, byte[]> cards(
      TopicNames topics, int g, String id, String actor, String body, long ts) {
    Command command = new Command("g" + g + "-" + id, Json.parse(body), actor, ts, null);
    return new ProducerRecord<>(topics.commands(), game(g), Json.bytes(command));
  }

  private record Result(int exit, String output) {}

  private static Result rescale(String bootstrap, String prefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = Main.execute(rescaleArgs(bootstrap, prefix).toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8));
  }

  private static List<String> rescaleArgs(String bootstrap, String prefix) {
    return List.of(
        "rescale",
        "--bootstrap",
        bootstrap,
        "--topic-prefix",
        prefix,
        "--application-id",
        prefix,
        "--partitions",
        "12");
  }

  /** The rescale in its own JVM, slowed so that a kill lands in the middle of its copy. */
  private static Process rescaleJvm(String bootstrap, String prefix, Path logFile)
      throws Exception {
    Files.createDirectories(logFile.getParent());
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                OrphanGuard.class.getName(),
                Main.class.getName()));
    command.addAll(rescaleArgs(bootstrap, prefix));
    command.addAll(List.of("--max-records-per-second", "300"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  private static GatewayApp startGateway(String bootstrap, String prefix, String processorUrl) {
    return GatewayApp.start(
        GatewayConfig.from(
            new ConfigReader(
                Map.of(
                    "bootstrap.servers", bootstrap,
                    "topic.prefix", prefix,
                    "gateway.port", "0",
                    "processor.urls", processorUrl,
                    "auth.hs256.secret", SECRET))));
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static Properties adminProps(String bootstrap) {
    return TopicSetup.adminProps(bootstrap, Map.of());
  }

  private static Path writeConfig(String bootstrap, String prefix, Path stateDir, int httpPort)
      throws Exception {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", prefix);
    p.setProperty("topic.prefix", prefix);
    p.setProperty("state.dir", stateDir.toAbsolutePath().toString());
    p.setProperty("http.port", Integer.toString(httpPort));
    p.setProperty("commit.interval.ms", "50");
    p.setProperty("timer.interval.ms", "100");
    p.setProperty("spaces.cards.turnMillis", Long.toString(TURN_MILLIS));
    Files.createDirectories(stateDir.getParent());
    Path file = stateDir.resolveSibling("processor.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "RescaleIntegrationTest");
    }
    return file;
  }
}
