package io.docstream.cli;

import io.docstream.broker.OrphanGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A docstream processor (or gateway) in its own JVM, started as an operator would: {@code java -cp
 * <this classpath> io.docstream.cli.Main processor --config <file>} (through {@link OrphanGuard}),
 * its output appended to a log file. Only this object's own process is ever stopped or killed.
 */
final class ProcessorJvm implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final String HEAP = "-Xmx512m";

  private final Process process;
  private final Path log;
  private final int httpPort;

  private ProcessorJvm(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Launches {@code processor --config config}; {@code httpPort} must match the file's. */
  static ProcessorJvm start(Path config, int httpPort, Path log) throws IOException {
    return start("processor", config, httpPort, log);
  }

  /**
   * Launches {@code gateway --config config} the same way; {@code port} must match the file's
   * {@code gateway.port} (the gateway serves {@code /healthz} there too).
   */
  static ProcessorJvm gateway(Path config, int port, Path log) throws IOException {
    return start("gateway", config, port, log);
  }

  private static ProcessorJvm start(String command, Path config, int httpPort, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> line =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            HEAP,
            "-cp",
            System.getProperty("java.class.path"),
            OrphanGuard.class.getName(),
            Main.class.getName(),
            command,
            "--config",
            config.toString());
    Process process =
        new ProcessBuilder(line)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start(); // stdin stays a pipe: OrphanGuard exits the child when this JVM is gone
    return new ProcessorJvm(process, log, httpPort);
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until {@code /healthz} answers 200 (Kafka Streams is RUNNING). */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest healthz =
        HttpRequest.newBuilder(URI.create(url() + "/healthz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "processor pid " + pid() + " exited with " + process.exitValue() + "\n" + logTail());
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
    throw new AssertionError(
        "processor pid " + pid() + " not healthy after " + timeout + "\n" + logTail());
  }

  /** {@code kill -9}: no shutdown hook runs, no transaction is committed or aborted. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("processor pid " + pid() + " survived SIGKILL");
    }
  }

  /** The last lines of the processor's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "--- last lines of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + e + ")";
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
