package io.docstream.bench;

import io.docstream.broker.OrphanGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM the bench starts with its own classpath, its output in a log file. */
final class ChildJvm implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final Process process;

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  static ChildJvm start(
      String name, int heapMegabytes, String mainClass, List<String> args, Path log)
      throws IOException {
    return start(name, heapMegabytes, List.of(), mainClass, args, log);
  }

  /** Starts with {@code jvmOptions} (e.g. {@code -XX:+AlwaysPreTouch}) before the class path. */
  static ChildJvm start(
      String name,
      int heapMegabytes,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      Path log)
      throws IOException {
    return start(
        name,
        heapMegabytes,
        jvmOptions,
        System.getProperty("java.class.path"),
        mainClass,
        args,
        log);
  }

  /** Starts on {@code classPath} (e.g. another build's jars), which must hold the OrphanGuard. */
  static ChildJvm start(
      String name,
      int heapMegabytes,
      List<String> jvmOptions,
      String classPath,
      String mainClass,
      List<String> args,
      Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + heapMegabytes + "m");
    command.add("-Xmx" + heapMegabytes + "m");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(OrphanGuard.class.getName());
    command.add(mainClass);
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ChildJvm(name, process);
  }

  /** {@code kill -9}: no shutdown hook runs, no transaction is committed or aborted. */
  void killHard() throws InterruptedException {
    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** CPU time (user + system) the JVM has used so far, in milliseconds. */
  long cpuMillis() {
    return process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
  }

  long pid() {
    return process.pid();
  }

  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue());
    }
  }

  /** Stops gracefully (SIGTERM), forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
