package io.docstream.broker.internal;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Waits until a starting broker serves clients. The signal is an admin client's {@code
 * describeCluster} answering, not a log line: a stale line in a reused log once made a start look
 * instant.
 */
public final class ReadinessProbe {
  private static final long POLL_MILLIS = 50;
  private static final int CONNECT_TIMEOUT_MILLIS = 200;
  private static final int REQUEST_TIMEOUT_MILLIS = 5_000;

  /** How long to wait for one answer before checking again that the process still lives. */
  private static final long ANSWER_WAIT_MILLIS = 500;

  private ReadinessProbe() {}

  /**
   * Returns once the broker answers, see {@link #await(Process, int, int, Duration, StartFailure)}.
   */
  public static void await(Process process, int port, Duration timeout, StartFailure failure) {
    await(process, port, 1, timeout, failure);
  }

  /**
   * Returns once the broker answers and knows {@code brokers} live brokers (itself included); fails
   * with {@link ErrorCode#BROKER_START_FAILED}, carrying the end of the broker's log, when the
   * process dies or {@code timeout} passes first.
   */
  public static void await(
      Process process, int port, int brokers, Duration timeout, StartFailure failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // Connecting the admin client only once the port is open keeps its "connection refused"
    // warnings out of the caller's log.
    while (!acceptsConnections(port)) {
      checkProgress(process, deadline, timeout + " (its port was not open yet)", failure);
      pause();
    }
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            "127.0.0.1:" + port,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            REQUEST_TIMEOUT_MILLIS);
    Admin admin = Admin.create(config);
    try {
      int known;
      while ((known = liveBrokers(admin)) < brokers) {
        String seen =
            known < 0 ? "no answer yet" : "it knew " + known + " of " + brokers + " brokers";
        checkProgress(process, deadline, timeout + " (" + seen + ")", failure);
        pause();
      }
    } finally {
      // Abandoned requests to a dead or slow broker would otherwise hold close() for seconds.
      admin.close(Duration.ZERO);
    }
  }

  /** The live brokers the broker knows of, or -1 when it does not answer yet. */
  private static int liveBrokers(Admin admin) {
    try {
      return admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(REQUEST_TIMEOUT_MILLIS))
          .nodes()
          .get(ANSWER_WAIT_MILLIS, TimeUnit.MILLISECONDS)
          .size();
    } catch (ExecutionException | TimeoutException e) {
      return -1; // Not serving yet; the deadline decides when to give up.
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private static void checkProgress(
      Process process, long deadline, String timeout, StartFailure failure) {
    if (!process.isAlive()) {
      throw failure.error("The broker exited with code " + process.exitValue());
    }
    if (System.nanoTime() - deadline > 0) {
      throw failure.error("The broker did not answer within " + timeout);
    }
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private static DocstreamException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new DocstreamException(
        ErrorCode.BROKER_START_FAILED, "Interrupted while waiting for the broker", e);
  }
}
