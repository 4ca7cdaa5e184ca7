package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.SharedBroker;
import io.docstream.gateway.DevTokens;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway JVMs in front of one processor (shared broker); clients connected to both keep
 * sending; one gateway is killed with {@code kill -9}. Its clients connect to the survivor, resume
 * with {@code since} and send their unacked ids again. Per client: every document's frames are
 * seq-ordered with no gap and no repeat (a reset snapshot restarts the count), its state equals the
 * processor's, and every id it sent is applied once and acked once, at the seq it was applied at.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewayKillIntegrationTest {
  private static final String AUTH_SECRET = "gateway-kill-test-secret-0123456789abcdef";
  private static final String READ_SECRET = "gateway-kill-read-secret";
  private static final List<String> DOCS = List.of("json/gk-a", "json/gk-b", "json/gk-c");
  private static final int CLIENTS = 4;
  private static final long SEND_PERIOD_MILLIS = 30;
  private static final int WINDOW = 8;
  private static final int ACKS_BEFORE_KILL = 10;
  private static final Duration AFTER_KILL = Duration.ofMillis(2000);
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ProcessorJvm> gateways = new ArrayList<>();
  private ProcessorApp processor;

  @AfterEach
  void stop() throws InterruptedException {
    for (ProcessorJvm gateway : gateways) {
      gateway.close();
    }
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldKeepEveryClientGapFreeWhenAGatewayOfTwoIsKilled() throws Exception {
    // Given a processor and two gateway JVMs in front of it
    String bootstrap = SharedBroker.bootstrapServers();
    TopicNames topics = new TopicNames("gwkill-" + UUID.randomUUID().toString().substring(0, 8));
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, 3, (short) 1);
    processor = startProcessor(bootstrap, topics);
    Path logs = Path.of("target", "it-logs", topics.prefix());
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int port = ProcessorJvm.freePort();
      Path config = writeGatewayConfig(bootstrap, topics, port, i);
      gateways.add(ProcessorJvm.gateway(config, port, logs.resolve("gateway-" + i + ".log")));
      ports.add(port);
    }
    for (ProcessorJvm gateway : gateways) {
      gateway.awaitHealthy(Duration.ofSeconds(60));
    }

    long deadline = System.nanoTime() + LIMIT.toNanos();
    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    List<FailoverClient> clients = new ArrayList<>();
    try {
      // And clients on both, each holding the first snapshot of every document
      for (int i = 0; i < CLIENTS; i++) {
        List<Integer> order = i % 2 == 0 ? ports : List.of(ports.get(1), ports.get(0));
        String token = DevTokens.hs256(AUTH_SECRET, "user" + i, Instant.now().plusSeconds(3600));
        FailoverClient c = new FailoverClient("c" + i, order, token, DOCS);
        c.drive(() -> false, 0, 0, () -> DOCS.stream().allMatch(d -> c.lastSeq(d) >= 0), deadline);
        clients.add(c);
      }
      // That keep sending with unique ids
      AtomicBoolean sending = new AtomicBoolean(true);
      List<Future<?>> running = new ArrayList<>();
      for (FailoverClient c : clients) {
        running.add(
            threads.submit(
                () -> {
                  c.drive(sending::get, SEND_PERIOD_MILLIS, WINDOW, () -> !sending.get(), deadline);
                  return null;
                }));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> clients.stream().allMatch(c -> c.ackCount() >= ACKS_BEFORE_KILL));

      // When gateway 0 is killed with kill -9 right after every client filled its window
      clients.forEach(FailoverClient::askForBurst);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> clients.stream().allMatch(FailoverClient::burstSent));
      long killed = System.nanoTime();
      gateways.get(0).killHard();
      Thread.sleep(AFTER_KILL.toMillis());
      sending.set(false);
      for (Future<?> f : running) {
        f.get(LIMIT.toSeconds(), TimeUnit.SECONDS); // every send acked
      }
      System.out.printf(
          "gateway kill: every send acked %d ms after the kill%n", millisSince(killed));

      // Then every client catches up with the processor's documents, through gateway 1
      Map<String, JsonNode> finals = new HashMap<>();
      for (String doc : DOCS) {
        finals.put(doc, get("/docs/" + doc));
      }
      for (FailoverClient c : clients) {
        c.drive(
            () -> false,
            0,
            0,
            () -> DOCS.stream().allMatch(d -> c.lastSeq(d) >= finals.get(d).get("seq").asLong()),
            deadline);
        assertThat(c.port()).as(c.name() + " on the survivor").isEqualTo(ports.get(1));
      }
      long slowestResumeMillis = 0;
      for (int i = 0; i < CLIENTS; i++) {
        FailoverClient c = clients.get(i);
        // the killed gateway's clients (even) moved once; the survivor's stayed where they were
        assertThat(c.connects()).as(c.name() + " connections").isEqualTo(i % 2 == 0 ? 2 : 1);
        if (i % 2 == 0) {
          slowestResumeMillis =
              Math.max(
                  slowestResumeMillis, TimeUnit.NANOSECONDS.toMillis(c.connectedNanos() - killed));
        }
      }
      System.out.printf(
          "gateway kill: clients reconnected within %d ms of the kill%n", slowestResumeMillis);
      check(clients, finals);
    } finally {
      clients.forEach(FailoverClient::close);
      threads.shutdownNow();
    }
  }

  private void check(List<FailoverClient> clients, Map<String, JsonNode> finals) throws Exception {
    Map<String, List<Long>> appliedAt = new HashMap<>(); // id -> seqs of the deltas carrying it
    for (String doc : DOCS) {
      JsonNode history = get("/docs/" + doc + "/deltas?after=0").get("deltas");
      assertThat(history.size()).isEqualTo(finals.get(doc).get("seq").asInt());
      for (JsonNode delta : history) {
        for (JsonNode id : delta.get("ids")) {
          appliedAt
              .computeIfAbsent(id.asText(), k -> new ArrayList<>())
              .add(delta.get("seq").asLong());
        }
      }
    }
    int sentTotal = 0;
    int resentTotal = 0;
    for (FailoverClient c : clients) {
      assertThat(c.unexpected()).as(c.name() + " rejects and errors").isEmpty();
      for (String doc : DOCS) {
        assertGapFree(c.name() + " " + doc, c.doc(doc).frames);
        assertThat(c.doc(doc).data).as(c.name() + " " + doc).isEqualTo(finals.get(doc).get("data"));
      }
      for (String id : c.sent().keySet()) {
        assertThat(appliedAt.get(id)).as("applications of " + id).hasSize(1);
        assertThat(c.acks().get(id)).as("acks of " + id).isEqualTo(appliedAt.get(id));
      }
      assertThat(c.acks().keySet()).isEqualTo(c.sent().keySet());
      sentTotal += c.sent().size();
      resentTotal += c.resent().size();
    }
    assertThat(appliedAt).hasSize(sentTotal);
    assertThat(resentTotal).as("sends in flight when the gateway died").isPositive();
    System.out.printf("gateway kill: sent %d, resent after the kill %d%n", sentTotal, resentTotal);
  }

  /** Snapshot first; then each delta the next seq; a later snapshot only as a reset, not back. */
  private static void assertGapFree(String what, List<JsonNode> frames) {
    assertThat(frames.get(0).get("type").asText()).as(what).isEqualTo("snapshot");
    long last = frames.get(0).get("seq").asLong();
    for (JsonNode f : frames.subList(1, frames.size())) {
      long seq = f.get("seq").asLong();
      if (f.get("type").asText().equals("snapshot")) {
        assertThat(f.get("reset").asBoolean()).as(what + " " + f).isTrue();
        assertThat(seq).as(what + " " + f).isGreaterThanOrEqualTo(last);
      } else {
        assertThat(seq).as(what + " " + f).isEqualTo(last + 1);
      }
      last = seq;
    }
  }

  private ProcessorApp startProcessor(String bootstrap, TopicNames topics)
      throws IOException, InterruptedException {
    ProcessorApp app =
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
                        "http.secret",
                        READ_SECRET,
                        "commit.interval.ms",
                        "50"))));
    app.awaitRunning(Duration.ofSeconds(60));
    return app;
  }

  private Path writeGatewayConfig(String bootstrap, TopicNames topics, int port, int index)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("topic.prefix", topics.prefix());
    p.setProperty("gateway.port", Integer.toString(port));
    p.setProperty("processor.urls", "http://127.0.0.1:" + processor.httpPort());
    p.setProperty("processor.secret", READ_SECRET);
    p.setProperty("auth.hs256.secret", AUTH_SECRET);
    Path file = temp.resolve("gateway-" + index + ".properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "GatewayKillIntegrationTest");
    }
    return file;
  }

  private JsonNode get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.httpPort() + path))
            .header(ReadApiOptions.SECRET_HEADER, READ_SECRET)
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
