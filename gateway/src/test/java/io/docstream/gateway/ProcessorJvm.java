package io.docstream.gateway;

import io.docstream.broker.OrphanGuard;
import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import java.io.IOException;
import java.io.Reader;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A processor (or any docstream server with {@code /healthz}) in its own JVM, so that a test can
 * kill it with SIGKILL before it commits: in this JVM, closing a processor commits. The child runs
 * under {@link OrphanGuard}, its output appended to a log file. Only this object's own process is
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

  /**
   * Launches a processor with {@code settings} (which must name {@code http.port}) through {@link
   * #main}.
   */
  static ProcessorJvm start(Map<String, String> settings, Path dir, String name)
      throws IOException {
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.putAll(settings);
    Path config = dir.resolve(name + ".properties");
    try (var out = Files.newBufferedWriter(config)) {
      p.store(out, name);
    }
    return launch(
        List.of(ProcessorJvm.class.getName(), config.toString()),
        256,
        dir.resolve(name + ".log"),
        Integer.parseInt(settings.get("http.port")));
  }

  /**
   * Launches {@code java -cp <this classpath> OrphanGuard <mainAndArgs>} with a heap of {@code
   * heapMegabytes}; the child answers {@code /healthz} on {@code httpPort}.
   */
  public static ProcessorJvm launch(
      List<String> mainAndArgs, int heapMegabytes, Path log, int httpPort) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heapMegabytes + "m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OrphanGuard.class.getName());
    command.addAll(mainAndArgs);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start(); // stdin stays a pipe: OrphanGuard exits the child when this JVM is gone
    return new ProcessorJvm(process, log, httpPort);
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until {@code /healthz} answers 200 (for a processor: Kafka Streams is RUNNING). */
  public void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest healthz =
        HttpRequest.newBuilder(URI.create(url() + "/healthz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "pid " + pid() + " exited with " + process.exitValue() + "\n" + logTail());
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
    throw new AssertionError("pid " + pid() + " not healthy after " + timeout + "\n" + logTail());
  }

  /** {@code kill -9}: no shutdown hook runs, no transaction is committed or aborted. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("pid " + pid() + " survived SIGKILL");
    }
  }

  /** The last lines of the child's log, for failure messages. */
  public String logTail() {
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
