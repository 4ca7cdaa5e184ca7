package io.docstream.gateway;

import io.docstream.broker.OrphanGuard;
import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A processor in its own JVM ({@link #main} runs there), so that a test can kill it with SIGKILL
 * before it commits: in this JVM, closing a processor commits. Only this object's own process is
 * ever stopped or killed.
 */
public final class ProcessorJvm implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final int httpPort;

  private ProcessorJvm(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** In the child: starts a processor from the properties file {@code args[0]} and stays up. */
  public static void main(String[] args) throws Exception {
    Properties file = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
      file.load(in);
    }
    Map<String, String> settings = new HashMap<>();
    file.stringPropertyNames().forEach(k -> settings.put(k, file.getProperty(k)));
    ProcessorApp.start(ProcessorConfig.from(new ConfigReader(settings)));
    new CountDownLatch(1).await();
  }

  /** Launches a processor with {@code settings} (which must name {@code http.port}). */
  static ProcessorJvm start(Map<String, String> settings, Path dir, String name)
      throws IOException {
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.putAll(settings);
    Path config = dir.resolve(name + ".properties");
    try (var out = Files.newBufferedWriter(config)) {
      p.store(out, name);
    }
    Path log = dir.resolve(name + ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            OrphanGuard.class.getName(),
            ProcessorJvm.class.getName(),
            config.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start(); // stdin stays a pipe: OrphanGuard exits the child when this JVM is gone
    return new ProcessorJvm(process, log, Integer.parseInt(settings.get("http.port")));
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Waits until {@code /healthz} answers 200. */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest healthz =
        HttpRequest.newBuilder(URI.create(url() + "/healthz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("processor exited with " + process.exitValue() + logTail());
      }
      try {
        if (http.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("processor not healthy after " + timeout + logTail());
  }

  /** {@code kill -9}: no shutdown hook runs, no transaction is committed or aborted. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("processor pid " + process.pid() + " survived SIGKILL");
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "\n(no log at " + log + ": " + e + ")";
    }
  }

  /** Stops gracefully (SIGTERM), forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
