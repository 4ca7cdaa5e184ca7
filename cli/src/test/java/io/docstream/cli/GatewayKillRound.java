package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.gateway.DevTokens;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.gateway.ResumingClient;
import java.io.Writer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Two gateway JVMs, WebSocket clients half on each that keep sending, and a {@code kill -9} of
 * gateway 0: its clients move to gateway 1, resume with {@code since} and resend their unacked ids.
 * {@link #killAndCheck} then checks per client: every document's frames seq-ordered with no gap and
 * no repeat (a reset snapshot restarts the count), its state equal to the processor's, and every id
 * it sent applied once and acked once, at the seq it was applied at.
 */
final class GatewayKillRound implements AutoCloseable {
  static final String AUTH_SECRET = "gateway-kill-test-secret-0123456789abcdef";
  private static final int CLIENTS = 4;
  private static final long SEND_PERIOD_MILLIS = 30;
  private static final int WINDOW = 8;
  private static final int ACKS_BEFORE_KILL = 10;
  private static final Duration AFTER_KILL = Duration.ofMillis(2000);
  private static final Duration LIMIT = Duration.ofSeconds(90);

  /** Reads a document or its deltas from a processor's read API ({@code /docs/...}), as JSON. */
  interface ReadApi {
    JsonNode get(String path) throws Exception;
  }

  /**
   * What one kill showed, in milliseconds after it ({@link System#nanoTime()} {@code killedNanos}).
   */
  record Figures(
      long killedNanos,
      long reconnectedMillis,
      long firstDeltaMillis,
      long allAckedMillis,
      int sent,
      int resent) {}

  private final List<ProcessorJvm> gateways = new ArrayList<>();
  private final List<ProcessorJvm> started = new ArrayList<>();
  private final List<Path> configs = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<String> docs;
  private int kills;

  private GatewayKillRound(List<String> docs) {
    this.docs = docs;
  }

  /**
   * Starts two gateways in front of {@code processorUrls} and waits until both are healthy.
   *
   * @param readSecret the processors' {@code http.secret}, or null for none
   */
  static GatewayKillRound start(
      String bootstrap,
      String topicPrefix,
      String processorUrls,
      String readSecret,
      List<String> docs,
      Path dir,
      Path logs)
      throws Exception {
    GatewayKillRound round = new GatewayKillRound(docs);
    try {
      for (int i = 0; i < 2; i++) {
        int port = ProcessorJvm.freePort();
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        p.setProperty("topic.prefix", topicPrefix);
        p.setProperty("gateway.port", Integer.toString(port));
        p.setProperty("processor.urls", processorUrls);
        if (readSecret != null) {
          p.setProperty("processor.secret", readSecret);
        }
        p.setProperty("auth.hs256.secret", AUTH_SECRET);
        Files.createDirectories(dir);
        Path file = dir.resolve("gateway-" + i + ".properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          p.store(out, "GatewayKillRound");
        }
        round.configs.add(file);
        round.ports.add(port);
        ProcessorJvm gateway = CliJvm.gateway(file, port, logs.resolve("gateway-" + i + ".log"));
        round.started.add(gateway);
        round.gateways.add(gateway);
      }
      for (ProcessorJvm gateway : round.gateways) {
        gateway.awaitHealthy(Duration.ofSeconds(60));
      }
    } catch (Exception | Error e) {
      round.close();
      throw e;
    }
    return round;
  }

  /**
   * Connects the clients (the even ones to gateway 0), lets them send, kills gateway 0 right after
   * every client filled its window, keeps them sending for 2 s, waits until every send is acked and
   * checks every client against {@code api}. The killed gateway stays dead; {@link #restartKilled}
   * starts it again.
   */
  Figures killAndCheck(ReadApi api) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    String idPrefix = "k" + ++kills + "c"; // ids stay unique over several kills on one topic
    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    List<ResumingClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        List<Integer> order = i % 2 == 0 ? ports : List.of(ports.get(1), ports.get(0));
        String token = DevTokens.hs256(AUTH_SECRET, "user" + i, Instant.now().plusSeconds(3600));
        ResumingClient c = new ResumingClient(idPrefix + i, order, token, docs);
        c.drive(() -> false, 0, 0, () -> docs.stream().allMatch(d -> c.lastSeq(d) >= 0), deadline);
        clients.add(c);
      }
      Map<String, Long> startSeqs = new HashMap<>(); // nothing else writes these documents
      docs.forEach(d -> startSeqs.put(d, clients.get(0).lastSeq(d)));
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
          .atMost(Duration.ofSeconds(30))
          .until(() -> clients.stream().allMatch(c -> c.ackCount() >= ACKS_BEFORE_KILL));

      clients.forEach(ResumingClient::askForBurst);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> clients.stream().allMatch(ResumingClient::burstSent));
      long killed = System.nanoTime();
      gateways.get(0).killHard();
      Thread.sleep(AFTER_KILL.toMillis());
      sending.set(false);
      for (Future<?> f : running) {
        f.get(LIMIT.toSeconds(), TimeUnit.SECONDS); // every send acked
      }
      long allAckedMillis = millisSince(killed);

      Map<String, JsonNode> finals = new HashMap<>();
      for (String doc : docs) {
        finals.put(doc, api.get("/docs/" + doc));
      }
      for (ResumingClient c : clients) {
        c.drive(
            () -> false,
            0,
            0,
            () -> docs.stream().allMatch(d -> c.lastSeq(d) >= finals.get(d).get("seq").asLong()),
            deadline);
        assertThat(c.port()).as(c.name() + " on the survivor").isEqualTo(ports.get(1));
      }
      long reconnected = 0;
      long firstDelta = Long.MAX_VALUE;
      for (int i = 0; i < CLIENTS; i++) {
        ResumingClient c = clients.get(i);
        // the killed gateway's clients (even) moved once; the survivor's stayed where they were
        assertThat(c.connects()).as(c.name() + " connections").isEqualTo(i % 2 == 0 ? 2 : 1);
        if (i % 2 == 0) {
          reconnected = Math.max(reconnected, c.connectedNanos() - killed);
          firstDelta = Math.min(firstDelta, c.firstDeltaAfter(killed) - killed);
        }
      }
      int[] sentResent = check(clients, startSeqs, finals, api);
      return new Figures(
          killed,
          TimeUnit.NANOSECONDS.toMillis(reconnected),
          TimeUnit.NANOSECONDS.toMillis(firstDelta),
          allAckedMillis,
          sentResent[0],
          sentResent[1]);
    } finally {
      clients.forEach(ResumingClient::close);
      threads.shutdownNow();
    }
  }

  /** Starts the killed gateway again on its port and waits until it is healthy. */
  void restartKilled(Path log) throws Exception {
    ProcessorJvm again = CliJvm.gateway(configs.get(0), ports.get(0), log);
    started.add(again);
    again.awaitHealthy(Duration.ofSeconds(60));
    gateways.set(0, again);
  }

  /** Returns the ids sent and those resent after the kill, over every client. */
  private int[] check(
      List<ResumingClient> clients,
      Map<String, Long> startSeqs,
      Map<String, JsonNode> finals,
      ReadApi api)
      throws Exception {
    Map<String, List<Long>> appliedAt = new HashMap<>(); // id -> seqs of the deltas carrying it
    for (String doc : docs) {
      long after = startSeqs.get(doc);
      JsonNode history = api.get("/docs/" + doc + "/deltas?after=" + after).get("deltas");
      assertThat(history.size()).isEqualTo(finals.get(doc).get("seq").asInt() - after);
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
    for (ResumingClient c : clients) {
      assertThat(c.unexpected()).as(c.name() + " rejects and errors").isEmpty();
      for (String doc : docs) {
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
    return new int[] {sentTotal, resentTotal};
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

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  @Override
  public void close() throws InterruptedException {
    for (ProcessorJvm gateway : started) {
      gateway.close();
    }
  }
}
