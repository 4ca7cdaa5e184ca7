package io.docstream.broker;

import io.docstream.broker.internal.BrokerLayout;
import io.docstream.broker.internal.FreePorts;
import io.docstream.broker.internal.JavaProcess;
import io.docstream.broker.internal.LogbackConfig;
import io.docstream.broker.internal.NodeRole;
import io.docstream.broker.internal.ReadinessProbe;
import io.docstream.broker.internal.ServerProperties;
import io.docstream.broker.internal.StartFailure;
import io.docstream.broker.internal.StorageFormat;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) running in
 * its own JVM on 127.0.0.1, for tests and local runs.
 *
 * <p>{@link #start} formats the data directory if it is new, launches the broker with this JVM's
 * classpath and returns once an admin client gets an answer from it. The broker's output goes to
 * {@code <dataDir>/broker.log}. Starting again on the same directory keeps the data; {@code
 * KafkaBroker.start(broker.options())} restarts on the same ports too.
 *
 * <p>No broker outlives the JVM that started it: when that JVM is gone, even by {@code kill -9},
 * the broker notices its closed stdin and shuts down cleanly. Owners that have clients of the
 * broker (a processor committing its last transaction) close those first, then {@link #stop} it.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 3;

  private final BrokerOptions options;
  private final NodeRole role;
  private final StartFailure launchLog;
  private final Process process;

  private KafkaBroker(
      BrokerOptions options, NodeRole role, StartFailure launchLog, Process process) {
    this.options = options;
    this.role = role;
    this.launchLog = launchLog;
    this.process = process;
  }

  /**
   * Starts a broker and waits until it serves clients.
   *
   * @throws DocstreamException with {@link ErrorCode#BROKER_START_FAILED} when formatting or
   *     starting fails or takes longer than {@link BrokerOptions#startTimeout()}; the message
   *     quotes the error lines and the last lines of {@code broker.log}
   */
  public static KafkaBroker start(BrokerOptions requested) {
    long startNanos = System.nanoTime();
    BrokerLayout layout = new BrokerLayout(requested.dataDir());
    BrokerOptions options = withPortsResolved(requested);
    writeConfiguration(options, NodeRole.SINGLE, layout);
    boolean formatted =
        StorageFormat.formatIfNeeded(
            layout, "", formatTimeout(options), StartFailure.markLog(layout));
    long formatMillis = millisSince(startNanos);
    for (int attempt = 1; ; attempt++) {
      StartFailure failure = StartFailure.markLog(layout);
      try {
        KafkaBroker broker = launchAndAwait(options, layout, failure);
        log.info(
            "Kafka broker pid {} serves {} after {} ms ({}); log: {}",
            broker.pid(),
            broker.bootstrapServers(),
            millisSince(startNanos),
            formatted ? "format took " + formatMillis + " ms" : "already formatted",
            layout.brokerLog());
        return broker;
      } catch (DocstreamException e) {
        if (attempt == PORT_ATTEMPTS || !pickedPortTaken(requested, options, failure)) {
          throw e;
        }
        log.warn("A port picked for the broker was taken before the broker bound it; retrying");
        options = withPortsResolved(requested);
        writeConfiguration(options, NodeRole.SINGLE, layout);
      }
    }
  }

  /**
   * Writes the configuration of a cluster node, formats its log dir if new and launches it without
   * waiting: a quorum member serves only once a majority of the voters runs.
   */
  /** A start timeout raised for a loaded machine raises the format's too. */
  private static Duration formatTimeout(BrokerOptions options) {
    return options.startTimeout().compareTo(FORMAT_TIMEOUT) > 0
        ? options.startTimeout()
        : FORMAT_TIMEOUT;
  }

  static KafkaBroker launchNode(BrokerOptions options, NodeRole role) {
    BrokerLayout layout = new BrokerLayout(options.dataDir());
    writeConfiguration(options, role, layout);
    StorageFormat.formatIfNeeded(
        layout, role.clusterId(), formatTimeout(options), StartFailure.markLog(layout));
    StartFailure launchLog = StartFailure.markLog(layout);
    return new KafkaBroker(options, role, launchLog, launch(options, layout));
  }

  /** Waits until this node serves clients and knows {@code brokers} live brokers. */
  void awaitServing(int brokers) {
    try {
      ReadinessProbe.await(process, options.port(), brokers, options.startTimeout(), launchLog);
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
  }

  /** Sends SIGTERM without waiting, so that the nodes of a cluster shut down together. */
  void signalStop() {
    process.destroy();
  }

  NodeRole role() {
    return role;
  }

  /** The KRaft node id. */
  public int nodeId() {
    return role.nodeId();
  }

  /** The address clients connect to, {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + options.port();
  }

  /** The broker's data directory. */
  public Path dataDir() {
    return options.dataDir();
  }

  /** The options this broker runs with, free ports replaced by the ones it took. */
  public BrokerOptions options() {
    return options;
  }

  /** The operating-system process id of the broker JVM. */
  public long pid() {
    return process.pid();
  }

  /** Completes with the broker JVM's exit code when it exits, for whatever reason. */
  public CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /**
   * Stops the broker gracefully (SIGTERM, so Kafka shuts down cleanly), and forcibly if that takes
   * more than 30 s. Returns when the process is gone; does nothing if it already is.
   */
  public void stop() {
    process.destroy();
    if (!exitedWithin(STOP_TIMEOUT)) {
      log.warn("Kafka broker pid {} ignored SIGTERM for {}; killing it", pid(), STOP_TIMEOUT);
      kill();
    }
  }

  /** Kills the broker at once ({@code kill -9}), as a crash would, and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    exitedWithin(STOP_TIMEOUT);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private boolean exitedWithin(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Whoever interrupts us wants to get on; make sure nothing is left running.
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private static BrokerOptions withPortsResolved(BrokerOptions requested) {
    Iterator<Integer> free =
        FreePorts.pick(3).stream()
            .filter(p -> p != requested.port() && p != requested.controllerPort())
            .iterator();
    int port = requested.port() != 0 ? requested.port() : free.next();
    int controllerPort = requested.controllerPort() != 0 ? requested.controllerPort() : free.next();
    return requested.withPort(port).withControllerPort(controllerPort);
  }

  /**
   * Whether the start failed because a port picked for it was taken in between, by another
   * process's client connection for example: free ports come from the ephemeral range.
   */
  private static boolean pickedPortTaken(
      BrokerOptions requested, BrokerOptions options, StartFailure failure) {
    return (requested.port() == 0 && failure.portTaken(options.port()))
        || (requested.controllerPort() == 0 && failure.portTaken(options.controllerPort()));
  }

  private static KafkaBroker launchAndAwait(
      BrokerOptions options, BrokerLayout layout, StartFailure failure) {
    KafkaBroker broker =
        new KafkaBroker(options, NodeRole.SINGLE, failure, launch(options, layout));
    broker.awaitServing(1);
    return broker;
  }

  private static void writeConfiguration(
      BrokerOptions options, NodeRole role, BrokerLayout layout) {
    try {
      Files.createDirectories(layout.dataDir());
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.BROKER_START_FAILED, "Cannot create the data directory " + layout.dataDir(), e);
    }
    ServerProperties.write(
        layout, options.port(), options.controllerPort(), role, options.settings());
    LogbackConfig.write(layout);
  }

  private static Process launch(BrokerOptions options, BrokerLayout layout) {
    List<String> jvmArgs = new ArrayList<>();
    jvmArgs.add("-Xmx" + options.heapMegabytes() + "m");
    // A dead broker fails tests at once; one limping after an OutOfMemoryError makes them hang.
    jvmArgs.add("-XX:+ExitOnOutOfMemoryError");
    if (!options.fullJit()) {
      jvmArgs.add("-XX:TieredStopAtLevel=1");
    }
    List<String> args =
        List.of("kafka.Kafka", layout.serverProperties().toAbsolutePath().toString());
    try {
      return JavaProcess.builder(layout, jvmArgs, OrphanGuard.class.getName(), args).start();
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.BROKER_START_FAILED, "Cannot launch the broker JVM in " + layout.dataDir(), e);
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
