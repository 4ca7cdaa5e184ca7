package io.docstream.bench;

import io.docstream.gateway.DevTokens;
import io.docstream.serdes.TopicNames;
import java.io.IOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The WebSocket gateway ({@code io.docstream.cli.Main gateway --config ...}) in its own JVM on a
 * free loopback port, with an HS256 secret made for the run, so that the bench mints one token per
 * viewer. Every other gateway setting keeps its default. Its heap is touched at start ({@code
 * -XX:+AlwaysPreTouch}), so that a change in its resident set size is memory outside the heap.
 */
final class GatewayJvm implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  private static final int SECRET_BYTES = 32;

  private final ChildJvm jvm;
  private final int port;
  private final String secret;
  private final HttpClient http = HttpClient.newHttpClient();

  private GatewayJvm(ChildJvm jvm, int port, String secret) {
    this.jvm = jvm;
    this.port = port;
    this.secret = secret;
  }

  static GatewayJvm start(
      String bootstrap,
      TopicNames topics,
      int processorHttpPort,
      Path work,
      int heapMegabytes,
      int ioThreads,
      int hubThreads,
      boolean profile)
      throws IOException {
    byte[] random = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    int port = Ports.free();
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("topic.prefix", topics.prefix());
    p.setProperty("gateway.host", HOST);
    p.setProperty("gateway.port", Integer.toString(port));
    p.setProperty("gateway.io.threads", Integer.toString(ioThreads));
    if (hubThreads > 0) {
      p.setProperty("gateway.hub.threads", Integer.toString(hubThreads));
    }
    p.setProperty("processor.urls", "http://" + HOST + ":" + processorHttpPort);
    p.setProperty("auth.hs256.secret", secret);
    Path file = work.resolve("gateway.properties");
    Files.createDirectories(work);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "docstream gateway bench");
    }
    List<String> jvmOptions = new ArrayList<>(List.of("-XX:+AlwaysPreTouch"));
    if (profile) {
      // Without DebugNonSafepoints, samples in inlined code are charged to the wrong methods.
      jvmOptions.addAll(
          List.of(
              "-XX:+UnlockDiagnosticVMOptions",
              "-XX:+DebugNonSafepoints",
              "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                  + work.resolve("gateway.jfr")));
    }
    ChildJvm jvm =
        ChildJvm.start(
            "gateway",
            heapMegabytes,
            jvmOptions,
            "io.docstream.cli.Main",
            List.of("gateway", "--config", file.toString()),
            work.resolve("gateway.log"));
    return new GatewayJvm(jvm, port, secret);
  }

  ChildJvm jvm() {
    return jvm;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(HOST, port);
  }

  /** The WebSocket endpoint with a fresh token for {@code viewer} in its query. */
  URI webSocketUri(String viewer) {
    String token = DevTokens.hs256(secret, viewer, Instant.now().plus(TOKEN_LIFETIME));
    return URI.create("ws://" + HOST + ":" + port + "/ws?token=" + token);
  }

  /** Waits until {@code /healthz} answers 200. */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      jvm.requireAlive();
      try {
        if (get("/healthz").statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gateway not healthy within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  /** Waits until the gateway counts {@code count} open connections; false if not in time. */
  boolean awaitConnections(long count, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (metric("docstream_gateway_connections") != count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  /**
   * The sum of a meter's samples in {@code /metrics}, e.g. {@code docstream_gateway_resets_total}.
   */
  double metric(String name) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The gateway's frame delay buckets as of now. */
  FrameDelays frameDelays() throws IOException, InterruptedException {
    return FrameDelays.parse(get("/metrics").body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    jvm.close();
  }
}
