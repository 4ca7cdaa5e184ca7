package io.docstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import io.docstream.serdes.JsonSerde;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stop reading their socket, over real TCP (raw sockets with a small receive buffer,
 * so back-pressure reaches the gateway): the others keep getting every delta on time, the gateway
 * queues at most {@code gateway.max.backlog.bytes} for each stalled connection, and the stalled
 * ones get what the Outbox promises: a fresh snapshot with reset after one overflow once they read
 * again, a 4008 close after more than {@code gateway.max.overflows} overflows or past the limit
 * with nothing to drop.
 *
 * <p>A closed client that does not read never sees its 4008 close frame: the gateway gives up on it
 * after a grace and the stream ends, often inside a frame.
 */
class SlowClientIntegrationTest {
  private static final String PREFIX = "gwslow";
  private static final String BUSY = "json/busy-1";
  private static final String OTHER = "json/busy-2";
  private static final long MAX_BACKLOG_BYTES = 64 * 1024;

  private static final int PAD_CHARS = 8000; // deltas of about 8 KB
  private static final long MAX_FRAME_BYTES = 16 * 1024;

  /**
   * Messages of each kind: three go to BUSY for one to OTHER. On loopback (MSS 64 KiB) the kernel
   * lets a stalled connection's send buffer grow to net.ipv4.tcp_wmem's maximum (4 MiB here, which
   * holds about 2.9 MB of frames) before the gateway sees any back-pressure, so BUSY gets 1 MiB
   * more than that.
   */
  private static final int QUARTERS = (int) ((maxSendBuffer() + (1 << 20)) / PAD_CHARS / 3 + 1);

  private static final int MESSAGES = 4 * QUARTERS;
  private static final Map<String, Long> LAST_SEQ =
      Map.of(BUSY, 3L * QUARTERS, OTHER, (long) QUARTERS);
  private static final long SEND_PERIOD_MICROS = 5000; // 200 a second, about 1.6 MB/s
  private static final String WARM_UP = "json/warm-up";
  private static final int WARM_UP_MESSAGES = 50;
  private static final Duration PUSH_LIMIT = Duration.ofSeconds(20);
  private static final int SLOW_RECEIVE_BUFFER = 4096;
  private static final int HEALTHY = 3;
  private static final long P99_BOUND_MILLIS = 1000;
  private static final long WAIT_SECONDS = 20;

  @TempDir static Path dir;
  private static ProcessorApp processor;
  private static GatewayApp gateway;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    processor = TestProcessor.start(PREFIX, dir.resolve("state"));
    // the first transactions of a new processor are slow; pay for them before measuring
    push(WARM_UP_MESSAGES, 10_000, n -> WARM_UP);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("/docs/" + WARM_UP).get("seq").asLong() == WARM_UP_MESSAGES);
    gateway =
        TestGateway.start(
            PREFIX,
            processor,
            Map.of(
                "gateway.max.backlog.bytes",
                Long.toString(MAX_BACKLOG_BYTES),
                "gateway.max.overflows",
                "1"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (processor != null) {
      processor.close();
    }
  }

  @Test
  void shouldKeepOthersOnTimeAndBoundTheBacklogOfClientsThatStopReading() throws Exception {
    List<WsClient> healthy = new ArrayList<>();
    try (RawWebSocket oneDoc = stalled("slow-1", BUSY);
        RawWebSocket twoDocs = stalled("slow-2", BUSY, OTHER);
        RawWebSocket pinger = stalled("slow-3", BUSY)) {
      // Given healthy clients, and three that hold their first snapshots, then stop reading
      Map<WsClient, Map<String, List<WsClient.Received>>> received = new HashMap<>();
      for (int i = 0; i < HEALTHY; i++) {
        WsClient c = WsClient.connect(gateway.port(), token("ok-" + i));
        healthy.add(c);
        c.send(sub(BUSY));
        c.send(sub(OTHER));
        Map<String, List<WsClient.Received>> byDoc = new HashMap<>();
        while (byDoc.size() < 2) {
          WsClient.Received r = c.poll(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
          assertThat(r).as("first snapshots").isNotNull();
          assertThat(r.frame().get("type").asText()).isEqualTo("snapshot");
          byDoc.put(r.frame().get("doc").asText(), new ArrayList<>(List.of(r)));
        }
        received.put(c, byDoc);
      }

      // When several MB of 8 KB deltas go out while they do not read
      AtomicLong maxBacklog = new AtomicLong();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> sampleBacklog(watching, maxBacklog), "backlog-sampler");
      long pushMillis;
      long catchUpMillis;
      try (CommitClock clock = CommitClock.start()) {
        sampler.start();
        try {
          pushMillis = push(MESSAGES, SEND_PERIOD_MICROS, n -> n % 4 == 3 ? OTHER : BUSY);
          long pushed = System.nanoTime();
          for (WsClient c : healthy) {
            receiveAll(c, received.get(c));
          }
          clock.awaitAll(MESSAGES);
          catchUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pushed);
        } finally {
          watching.set(false);
          sampler.join(10_000);
        }

        // Then the healthy clients got every delta, in order, on time
        List<Long> added = new ArrayList<>();
        List<Long> endToEnd = new ArrayList<>();
        for (WsClient c : healthy) {
          for (Map.Entry<String, List<WsClient.Received>> e : received.get(c).entrySet()) {
            List<WsClient.Received> frames = e.getValue();
            List<Long> seqs = new ArrayList<>();
            for (WsClient.Received r : frames.subList(1, frames.size())) {
              JsonNode f = r.frame();
              assertThat(f.get("type").asText()).as(e.getKey()).isEqualTo("delta");
              seqs.add(f.get("seq").asLong());
              added.add(r.nanos() - clock.seen(e.getKey(), f.get("seq").asLong()));
              endToEnd.add(r.nanos() - f.get("patch").get("t").asLong());
            }
            assertThat(seqs).as("seqs of " + e.getKey()).isEqualTo(oneTo(LAST_SEQ.get(e.getKey())));
          }
        }
        long p99 = TimeUnit.NANOSECONDS.toMillis(percentile(added, 0.99));
        System.out.printf(
            "slow client test: pushed %d messages in %d ms, all delivered %d ms later; healthy"
                + " clients (%d deltas): gateway"
                + " latency (commit seen upstream -> client) p50 %d p99 %d max %d ms, end to end"
                + " (produced -> client) p50 %d p99 %d max %d ms; backlog sampled up to %d bytes%n",
            MESSAGES,
            pushMillis,
            catchUpMillis,
            added.size(),
            TimeUnit.NANOSECONDS.toMillis(percentile(added, 0.50)),
            p99,
            TimeUnit.NANOSECONDS.toMillis(percentile(added, 1.0)),
            TimeUnit.NANOSECONDS.toMillis(percentile(endToEnd, 0.50)),
            TimeUnit.NANOSECONDS.toMillis(percentile(endToEnd, 0.99)),
            TimeUnit.NANOSECONDS.toMillis(percentile(endToEnd, 1.0)),
            maxBacklog.get());
        assertThat(p99).as("p99 gateway latency, ms").isLessThan(P99_BOUND_MILLIS);
      }

      // And each stalled connection overflowed (the two-document one twice, which closes it)
      // and the backlog never held more than the limit per stalled connection
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metrics().get("docstream_gateway_slow_drops_total") == 4.0);
      assertThat(metrics().get("docstream_gateway_slow_closes_total")).isEqualTo(1.0);
      assertThat(maxBacklog.get())
          .as("backlog bytes sampled while three connections were stalled")
          .isLessThanOrEqualTo(3 * (MAX_BACKLOG_BYTES + MAX_FRAME_BYTES));

      // And a stalled connection's queue, once it holds only frames that cannot be dropped,
      // shows in the backlog gauge byte for byte, up to the limit, and one byte past it closes it
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> metrics().get("docstream_gateway_connections") == HEALTHY + 2);
      long pongBytes = "{\"type\":\"pong\"}".length();
      long pongs = MAX_BACKLOG_BYTES / pongBytes; // the most that fit
      ping(pinger, pongs - 100);
      awaitBacklog((pongs - 100) * pongBytes);
      ping(pinger, 100);
      awaitBacklog(pongs * pongBytes);
      assertThat(metrics().get("docstream_gateway_slow_closes_total")).isEqualTo(1.0);
      ping(pinger, 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> metrics().get("docstream_gateway_slow_closes_total") == 2.0);
      assertThat(metrics().get("docstream_gateway_backlog_bytes")).isZero();
      // a close frame that cannot be delivered does not hold the connection open for long
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> metrics().get("docstream_gateway_connections") == HEALTHY + 1);

      // And the one-document client, reading again, gets the deltas that were on their way, then
      // a fresh snapshot with reset
      JsonNode busy = get("/docs/" + BUSY);
      assertThat(busy.get("seq").asLong()).isEqualTo(LAST_SEQ.get(BUSY));
      long before = oneDoc.bytesRead();
      long seq = 0;
      JsonNode reset = null;
      long readDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (reset == null && System.nanoTime() < readDeadline) {
        RawWebSocket.Frame f = oneDoc.read(10_000);
        assertThat(f).as("frame").isNotNull();
        assertThat(f.opcode()).isEqualTo(RawWebSocket.TEXT);
        JsonNode frame = Json.parse(f.text());
        if (frame.get("type").asText().equals("delta")) {
          assertThat(frame.get("seq").asLong()).isEqualTo(seq + 1);
          seq++;
        } else {
          assertThat(frame.get("type").asText()).isEqualTo("snapshot");
          reset = frame;
        }
      }
      long buffered = oneDoc.bytesRead() - before;
      System.out.printf(
          "slow client test: the stalled client read %d bytes (deltas 1..%d) before its reset%n",
          buffered, seq);
      assertThat(reset).as("reset snapshot").isNotNull();
      assertThat(reset.get("reset").asBoolean()).isTrue();
      assertThat(reset.get("seq").asLong()).isEqualTo(LAST_SEQ.get(BUSY));
      assertThat(reset.get("data")).isEqualTo(busy.get("data"));
      assertThat(seq).as("deltas held in buffers").isLessThan(LAST_SEQ.get(BUSY));
      oneDoc.sendText("{\"op\":\"ping\"}");
      assertThat(Json.parse(oneDoc.read(10_000).text()).get("type").asText()).isEqualTo("pong");

      // And the closed ones find the end of their stream (after a 4008 close frame, if it got
      // through before the gateway gave up on them)
      for (RawWebSocket closed : List.of(twoDocs, pinger)) {
        String end = readToEnd(closed);
        System.out.println("slow client test: a closed client read to " + end);
        assertThat(end).isIn("close 4008", "the end of the stream", "the end inside a frame");
      }
    } finally {
      healthy.forEach(WsClient::close);
    }
  }

  /**
   * Reads frames until a close frame or the end of the stream, which may come inside a frame: the
   * gateway closes a connection that does not read without flushing what it still holds.
   */
  private static String readToEnd(RawWebSocket ws) throws IOException {
    for (int frames = 0; frames < 10_000; frames++) {
      RawWebSocket.Frame f;
      try {
        f = ws.read(10_000);
      } catch (EOFException e) {
        return "the end inside a frame";
      }
      if (f == null) {
        return "the end of the stream";
      }
      if (f.opcode() == RawWebSocket.CLOSE) {
        return "close " + f.closeCode();
      }
    }
    throw new AssertionError("no end after 10000 frames");
  }

  private static void ping(RawWebSocket ws, long times) throws IOException {
    for (long i = 0; i < times; i++) {
      ws.sendText("{\"op\":\"ping\"}");
    }
  }

  private static void awaitBacklog(long bytes) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics().get("docstream_gateway_backlog_bytes") == bytes);
  }

  /**
   * A client with a small receive buffer that subscribes to {@code docs}, reads their first
   * snapshots and then nothing more.
   */
  private static RawWebSocket stalled(String viewer, String... docs) throws Exception {
    RawWebSocket ws = RawWebSocket.connect(gateway.port(), token(viewer), SLOW_RECEIVE_BUFFER);
    for (String doc : docs) {
      ws.sendText(sub(doc));
    }
    List<String> snapshots = new ArrayList<>();
    for (int i = 0; i < docs.length; i++) {
      snapshots.add(snapshotOf(ws.read(10_000)));
    }
    assertThat(snapshots).containsExactlyInAnyOrder(docs);
    return ws;
  }

  /** The most a TCP send buffer may grow to: net.ipv4.tcp_wmem's maximum, 4 MiB if unknown. */
  private static long maxSendBuffer() {
    try {
      String[] wmem =
          Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).strip().split("\\s+");
      return Long.parseLong(wmem[2]);
    } catch (IOException | RuntimeException e) {
      return 4L << 20;
    }
  }

  /** Reads {@code c}'s frames until it has the last delta of both documents. */
  private static void receiveAll(WsClient c, Map<String, List<WsClient.Received>> byDoc)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (byDoc.entrySet().stream()
        .anyMatch(e -> lastSeq(e.getValue()) < LAST_SEQ.get(e.getKey()))) {
      assertThat(System.nanoTime() - deadline).as("all deltas in time").isNegative();
      WsClient.Received r = c.poll(100);
      if (r != null) {
        byDoc.get(r.frame().get("doc").asText()).add(r);
      }
    }
  }

  private static List<Long> oneTo(long last) {
    List<Long> seqs = new ArrayList<>();
    for (long s = 1; s <= last; s++) {
      seqs.add(s);
    }
    return seqs;
  }

  /**
   * Sends {@code count} messages of about 4 KB straight to the commands topic, one every {@code
   * periodMicros}, message n to {@code docOf(n)}; returns how long it took. Each sets {@code t} to
   * the time it was produced ({@link System#nanoTime()}), {@code n} and a fresh {@code pad}, so
   * that each delta is about 4 KB.
   */
  private static long push(int count, long periodMicros, IntFunction<String> docOf)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    long start = System.nanoTime();
    try (KafkaProducer<String, Command> producer =
        new KafkaProducer<>(props, new StringSerializer(), JsonSerde.commands().serializer())) {
      String topic = new TopicNames(PREFIX).commands();
      for (int n = 0; n < count; n++) {
        long due = start + TimeUnit.MICROSECONDS.toNanos(n * periodMicros);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        assertThat(System.nanoTime() - start).as("push time").isLessThan(PUSH_LIMIT.toNanos());
        ObjectNode body = Json.object();
        body.put("t", System.nanoTime());
        body.put("n", n);
        body.put("pad", pad());
        producer.send(new ProducerRecord<>(topic, docOf.apply(n), Command.of("m-" + n, body)));
      }
      producer.flush();
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String pad() {
    char[] chars = new char[PAD_CHARS];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(chars);
  }

  private static void sampleBacklog(AtomicBoolean watching, AtomicLong max) {
    for (int i = 0; i < 3000 && watching.get(); i++) {
      try {
        Double backlog = metrics().get("docstream_gateway_backlog_bytes");
        max.accumulateAndGet(backlog.longValue(), Math::max);
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The gateway's Prometheus samples without labels, by name. */
  private static Map<String, Double> metrics() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      String[] parts = line.split(" ");
      if (!line.startsWith("#") && parts.length == 2 && !parts[0].contains("{")) {
        samples.put(parts[0], Double.parseDouble(parts[1]));
      }
    }
    return samples;
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

  private static long lastSeq(List<WsClient.Received> frames) {
    return frames.get(frames.size() - 1).frame().get("seq").asLong();
  }

  /** Nearest-rank percentile; 1.0 is the maximum. */
  private static long percentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
  }

  private static String snapshotOf(RawWebSocket.Frame f) {
    assertThat(f).isNotNull();
    JsonNode frame = Json.parse(f.text());
    assertThat(frame.get("type").asText()).isEqualTo("snapshot");
    assertThat(frame.get("seq").asLong()).isZero();
    return frame.get("doc").asText();
  }

  /**
   * A read_committed consumer of the deltas topic, positioned at its end when started, that notes
   * when each delta of {@link #BUSY} and {@link #OTHER} became readable: the gateway cannot deliver
   * a delta earlier, so receipt minus this is the time the gateway added.
   */
  private static final class CommitClock implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private CommitClock(KafkaConsumer<String, byte[]> consumer) {
      this.consumer = consumer;
      this.thread = new Thread(this::run, "commit-clock");
    }

    static CommitClock start() {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers());
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      String topic = new TopicNames(PREFIX).deltas();
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fixes the end before anything is pushed
      CommitClock clock = new CommitClock(consumer);
      clock.thread.start();
      return clock;
    }

    private void run() {
      long deadline = System.nanoTime() + PUSH_LIMIT.toNanos() * 3;
      try {
        while (running.get() && System.nanoTime() < deadline) {
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(50));
          long now = System.nanoTime();
          for (ConsumerRecord<String, byte[]> r : records) {
            if (BUSY.equals(r.key()) || OTHER.equals(r.key())) {
              seen.putIfAbsent(r.key() + "@" + Json.parse(r.value()).get("seq").asLong(), now);
            }
          }
        }
      } finally {
        consumer.close(Duration.ofSeconds(5));
      }
    }

    void awaitAll(int count) {
      await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> seen.size() >= count);
    }

    long seen(String doc, long seq) {
      Long nanos = seen.get(doc + "@" + seq);
      assertThat(nanos).as("commit of " + doc + "@" + seq).isNotNull();
      return nanos;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }

  private static String sub(String doc) {
    return "{\"op\":\"sub\",\"doc\":\"" + doc + "\"}";
  }

  private static String token(String viewer) {
    return Tokens.valid(viewer);
  }
}
