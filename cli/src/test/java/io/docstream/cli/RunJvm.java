package io.docstream.cli;

import io.docstream.broker.OrphanGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docstream run} in its own JVM, as a person starts it, its output appended to a log file;
 * its run record goes to {@code <dataDir>/../run.properties}. Only its own processes are stopped.
 */
final class RunJvm implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

  final Path dataDir;
  final Path log;
  final int kafkaPort;
  final int httpPort;
  final int gatewayPort;
  private final Process process;

  private RunJvm(
      Path dataDir, Path log, int kafkaPort, int httpPort, int gatewayPort, Process process) {
    this.dataDir = dataDir;
    this.log = log;
    this.kafkaPort = kafkaPort;
    this.httpPort = httpPort;
    this.gatewayPort = gatewayPort;
    this.process = process;
  }

  /** Starts {@code run --data-dir dataDir} on the given ports ({@code kafkaPort + 1} as well). */
  static RunJvm start(Path dataDir, Path log, int kafkaPort, int httpPort, int gatewayPort)
      throws IOException {
    return start(dataDir, log, kafkaPort, httpPort, gatewayPort, 1);
  }

  /**
   * Starts {@code run --brokers brokers}; node i takes {@code kafkaPort + 2i} and {@code kafkaPort
   * + 2i + 1}.
   */
  static RunJvm start(
      Path dataDir, Path log, int kafkaPort, int httpPort, int gatewayPort, int brokers)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-D" + RunRecord.LOCATION_PROPERTY + "=" + recordFile(dataDir),
            "-Dlogback.configurationFile=logback.xml",
            "-cp",
            System.getProperty("java.class.path"),
            OrphanGuard.class.getName(),
            Main.class.getName(),
            "run",
            "--data-dir",
            dataDir.toString(),
            "--kafka-port",
            Integer.toString(kafkaPort),
            "--http-port",
            Integer.toString(httpPort),
            "--gateway-port",
            Integer.toString(gatewayPort),
            "--partitions",
            "2",
            "--brokers",
            Integer.toString(brokers));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new RunJvm(dataDir, log, kafkaPort, httpPort, gatewayPort, process);
  }

  static Path recordFile(Path dataDir) {
    return dataDir.toAbsolutePath().resolveSibling("run.properties");
  }

  String bootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  String readApi() {
    return "http://127.0.0.1:" + httpPort;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Every process this run started, while they live (the broker JVMs). */
  List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  int exitCode() {
    return process.exitValue();
  }

  /** The broker JVM that this run started. */
  ProcessHandle broker() {
    return process.children().findFirst().orElseThrow(() -> new AssertionError("no broker child"));
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log at " + log + ": " + e + ")";
    }
  }

  /**
   * Waits until the output holds {@code text} {@code times} times; fails with the output if not.
   */
  void awaitOutput(String text, int times, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(output(), text) < times) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no '" + text + "' x" + times + " after " + timeout + "\n" + tail());
      }
      Thread.sleep(100);
    }
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  String tail() {
    List<String> lines = output().lines().toList();
    return "--- last lines of "
        + log
        + " ---\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** {@code kill -9} of the run JVM; its broker then exits by itself (its stdin closes). */
  void killHard() throws InterruptedException {
    ProcessHandle broker = broker();
    process.destroyForcibly();
    process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    broker.onExit().orTimeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Stops gracefully (SIGTERM: Ctrl-C's path), forcibly after 60 s. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
