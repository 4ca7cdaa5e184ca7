package io.docstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.serdes.Json;
import io.docstream.topology.ProcessorApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway restarted on the same port under connected clients that keep sending: clients that
 * follow the protocol (resume with {@code since}, send unacked messages again with the same id)
 * lose nothing, see nothing twice and get exactly one ack per message. Real broker, in-process
 * processor, real sockets.
 */
class GatewayRestartIntegrationTest {
  private static final String PREFIX = "gwrestart";
  private static final List<String> DOCS = List.of("json/restart-a", "json/restart-b");
  private static final int CLIENTS = 4;
  private static final long SEND_PERIOD_MILLIS = 30;
  private static final int WINDOW = 8;
  private static final int ACKS_BEFORE_RESTART = 10;
  private static final Duration AFTER_RESTART = Duration.ofMillis(1500);
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /**
   * Long enough that resumes and the new gateway's snapshots land while the processor's stores are
   * ahead of the committed deltas (with 20 ms only a loaded machine hits that window).
   */
  private static final long COMMIT_INTERVAL_MILLIS = 500;

  @TempDir static Path dir;
  private static ProcessorApp processor;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    processor = TestProcessor.start(PREFIX, dir.resolve("state"), COMMIT_INTERVAL_MILLIS);
  }

  @AfterAll
  static void stop() {
    if (processor != null) {
      processor.close();
    }
  }

  private static GatewayApp gateway(int port) {
    return TestGateway.start(PREFIX, processor, Map.of("gateway.port", Integer.toString(port)));
  }

  @Test
  void shouldLoseNothingForResumingClientsWhenTheGatewayRestartsOnTheSamePort() throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    GatewayApp gateway = gateway(0);
    int port = gateway.port();
    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    List<ResumingClient> clients = new ArrayList<>();
    try {
      // Given clients that hold the first snapshot of both documents
      for (int i = 0; i < CLIENTS; i++) {
        ResumingClient c = new ResumingClient("c" + i, port, Tokens.valid("user" + i), DOCS);
        c.drive(() -> false, 0, 0, () -> DOCS.stream().allMatch(d -> c.lastSeq(d) >= 0), deadline);
        clients.add(c);
      }

      // And that keep sending with unique ids
      AtomicBoolean sending = new AtomicBoolean(true);
      List<Future<?>> running = new ArrayList<>();
      for (ResumingClient c : clients) {
        running.add(
            threads.submit(
                () -> {
                  c.drive(sending::get, SEND_PERIOD_MILLIS, WINDOW, () -> !sending.get(), deadline);
                  return null;
                }));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> clients.stream().allMatch(c -> c.ackCount() >= ACKS_BEFORE_RESTART));

      // When the gateway stops mid-stream, right after each client filled its window, and a new
      // one starts on the same port
      clients.forEach(ResumingClient::askForBurst);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(1)) // stop before their acks come back
          .until(() -> clients.stream().allMatch(ResumingClient::burstSent));
      long stopped = System.currentTimeMillis();
      gateway.close();
      long closed = System.currentTimeMillis();
      // binds at once although the old connections' sockets sit in TIME_WAIT on this port: the
      // JDK opens server sockets with SO_REUSEADDR (except on Windows); GatewayServer does not
      // set it itself
      gateway = gateway(port);
      assertThat(gateway.port()).isEqualTo(port);
      System.out.printf(
          "restart test: close took %d ms, start %d ms%n",
          closed - stopped, System.currentTimeMillis() - closed);
      Thread.sleep(AFTER_RESTART.toMillis());
      sending.set(false);
      for (Future<?> f : running) {
        f.get(LIMIT.toSeconds(), TimeUnit.SECONDS); // every send acked
      }

      // Then every client catches up with the processor's documents
      Map<String, JsonNode> finals = new HashMap<>();
      for (String doc : DOCS) {
        finals.put(doc, get("/docs/" + doc));
      }
      for (ResumingClient c : clients) {
        c.drive(
            () -> false,
            0,
            0,
            () -> DOCS.stream().allMatch(d -> c.lastSeq(d) >= finals.get(d).get("seq").asLong()),
            deadline);
      }
      check(clients, finals, stopped);
    } finally {
      clients.forEach(ResumingClient::close);
      threads.shutdownNow();
      gateway.close();
    }
  }

  private static void check(
      List<ResumingClient> clients, Map<String, JsonNode> finals, long stoppedMillis)
      throws Exception {
    // What the processor applied, by id: the seq of the delta that carries it
    Map<String, Map<String, List<Long>>> appliedAt = new HashMap<>();
    Set<String> appliedBeforeStop = new TreeSet<>();
    for (String doc : DOCS) {
      JsonNode history = get("/docs/" + doc + "/deltas?after=0").get("deltas");
      assertThat(history.size()).isEqualTo(finals.get(doc).get("seq").asInt());
      Map<String, List<Long>> ids = new HashMap<>();
      for (JsonNode delta : history) {
        for (JsonNode id : delta.get("ids")) {
          ids.computeIfAbsent(id.asText(), k -> new ArrayList<>()).add(delta.get("seq").asLong());
          if (delta.get("ts").asLong() < stoppedMillis) {
            appliedBeforeStop.add(id.asText());
          }
        }
      }
      appliedAt.put(doc, ids);
    }

    Set<String> resent = new TreeSet<>();
    for (ResumingClient c : clients) {
      assertThat(c.connects()).as(c.name() + " reconnected").isGreaterThanOrEqualTo(2);
      assertThat(c.unexpected()).as(c.name() + " rejects and errors").isEmpty();
      resent.addAll(c.resent());
      for (String doc : DOCS) {
        JsonNode last = finals.get(doc);
        ResumingClient.Doc seen = c.doc(doc);
        // one snapshot, never reset, then every seq once and in order
        assertThat(seen.frames.get(0).get("type").asText()).isEqualTo("snapshot");
        assertThat(seen.frames.get(0).get("reset").asBoolean()).isFalse();
        List<Long> seqs = new ArrayList<>();
        for (JsonNode f : seen.frames.subList(1, seen.frames.size())) {
          assertThat(f.get("type").asText()).as(c.name() + " " + f).isEqualTo("delta");
          seqs.add(f.get("seq").asLong());
        }
        long first = seen.frames.get(0).get("seq").asLong();
        List<Long> expected = new ArrayList<>();
        for (long s = first + 1; s <= last.get("seq").asLong(); s++) {
          expected.add(s);
        }
        assertThat(seqs).as(c.name() + " seqs of " + doc).isEqualTo(expected);
        assertThat(seen.data).as(c.name() + " " + doc).isEqualTo(last.get("data"));
      }
      // one ack per message, naming the seq the message was applied at
      for (Map.Entry<String, String> sent : c.sent().entrySet()) {
        String id = sent.getKey();
        List<Long> applied = appliedAt.get(sent.getValue()).get(id);
        assertThat(applied).as("applications of " + id).hasSize(1);
        assertThat(c.acks().get(id)).as("acks of " + id).isEqualTo(applied);
      }
      assertThat(c.acks().keySet()).isEqualTo(c.sent().keySet());
    }
    assertThat(resent).as("sends in flight when the gateway stopped").isNotEmpty();

    // every message applied exactly once, and only those
    for (String doc : DOCS) {
      Set<String> sentToDoc = new TreeSet<>();
      for (ResumingClient c : clients) {
        c.sent()
            .forEach(
                (id, d) -> {
                  if (d.equals(doc)) {
                    sentToDoc.add(id);
                  }
                });
      }
      assertThat(new TreeSet<>(appliedAt.get(doc).keySet())).isEqualTo(sentToDoc);
      Set<String> fields = new TreeSet<>();
      finals.get(doc).get("data").fieldNames().forEachRemaining(fields::add);
      assertThat(fields).isEqualTo(sentToDoc);
    }
    Map<String, Integer> summary = new LinkedHashMap<>();
    clients.forEach(c -> summary.put(c.name(), c.sent().size()));
    long duplicates = resent.stream().filter(appliedBeforeStop::contains).count();
    System.out.printf(
        "restart test: sent %s; resent %d, of which %d had been applied before the stop%n",
        summary, resent.size(), duplicates);
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + processor.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return Json.parse(response.body());
  }
}
