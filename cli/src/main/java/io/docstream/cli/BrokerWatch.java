package io.docstream.cli;

import ch.qos.logback.classic.Level;
import io.docstream.broker.KafkaBroker;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded broker of {@code run} up: when its JVM exits while {@code run} is not
 * stopping, the broker is started again on its data and ports, and that is printed. A broker that
 * exits more than {@value #MAX_RESTARTS} times within {@link #RESTART_WINDOW}, or cannot be started
 * again, is given up on: {@code onGiveUp} gets the coded reason.
 */
final class BrokerWatch {
  static final int MAX_RESTARTS = 3;
  private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
  static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

  /**
   * How long the warnings a client began to log before they were held back (its connection failed
   * as the broker died, before run noticed) have to be written before run says the broker exited.
   */
  private static final Duration WARNINGS_IN_FLIGHT = Duration.ofMillis(250);

  private final PrintStream out;
  private final Consumer<DocstreamException> onGiveUp;
  private final Deque<Long> restartNanos = new ArrayDeque<>();
  private final Executor restarter =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "docstream-broker-watch");
            thread.setDaemon(true);
            return thread;
          });
  private volatile KafkaBroker broker;
  private volatile boolean stopping;

  BrokerWatch(KafkaBroker broker, PrintStream out, Consumer<DocstreamException> onGiveUp) {
    this.broker = broker;
    this.out = out;
    this.onGiveUp = onGiveUp;
    watch(broker);
  }

  /** The broker now running. */
  KafkaBroker broker() {
    return broker;
  }

  /** Stops watching and stops the broker. */
  void stop() {
    stopping = true;
    broker.stop();
  }

  /**
   * While the broker is down, the processor's and the gateway's Kafka clients warn of every failed
   * connection, many a second; run says what is going on instead.
   */
  private static void connectionWarnings(Level level) {
    if (LoggerFactory.getLogger(NETWORK_CLIENT) instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(level);
    }
  }

  private static void letWarningsInFlightBeWritten() {
    try {
      Thread.sleep(WARNINGS_IN_FLIGHT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void watch(KafkaBroker watched) {
    CompletableFuture<Integer> exit = watched.onExit();
    exit.thenAcceptAsync(code -> exited(watched, code), restarter);
  }

  private synchronized void exited(KafkaBroker dead, int exitCode) {
    if (stopping || dead != broker) {
      return;
    }
    long now = System.nanoTime();
    while (!restartNanos.isEmpty() && now - restartNanos.peekFirst() > RESTART_WINDOW.toNanos()) {
      restartNanos.removeFirst();
    }
    if (restartNanos.size() >= MAX_RESTARTS) {
      onGiveUp.accept(
          new DocstreamException(
              ErrorCode.BROKER_EXITED,
              "the Kafka broker exited (code "
                  + exitCode
                  + ") "
                  + (MAX_RESTARTS + 1)
                  + " times within "
                  + RESTART_WINDOW.toMinutes()
                  + " min; see "
                  + dead.dataDir().resolve("broker.log")));
      return;
    }
    restartNanos.addLast(now);
    connectionWarnings(Level.ERROR);
    letWarningsInFlightBeWritten();
    out.printf(
        "The Kafka broker (pid %d) exited with code %d; starting it again on its data (%s)...%n",
        dead.pid(), exitCode, dead.dataDir());
    try {
      KafkaBroker restarted = KafkaBroker.start(dead.options());
      broker = restarted;
      connectionWarnings(null);
      out.printf(
          "The Kafka broker is back (pid %d, %s).%n",
          restarted.pid(), restarted.bootstrapServers());
      watch(restarted);
    } catch (DocstreamException e) {
      onGiveUp.accept(
          new DocstreamException(
              ErrorCode.BROKER_EXITED,
              "the Kafka broker exited (code "
                  + exitCode
                  + ") and did not start again: "
                  + e.getMessage(),
              e));
    }
  }
}
