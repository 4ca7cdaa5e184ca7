package io.docstream.broker.internal;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * Formats a broker's log dir for KRaft with Kafka's own {@code kafka.tools.StorageTool}, in a
 * short-lived JVM: measured here, formatting in-process is no faster (class loading dominates,
 * about 0.8 s either way) and would load the broker's classes into the caller's JVM.
 */
public final class StorageFormat {
  /** Tuned for a one-second tool: quick JIT, small heap, simplest collector. */
  private static final List<String> JVM_ARGS =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private StorageFormat() {}

  /**
   * Formats the log dir with a new cluster id unless it is already formatted, so that a restart on
   * the same directory keeps its data.
   *
   * @param clusterId the cluster id to format with, or empty for a fresh random one
   * @param failure builds the error if formatting fails
   * @return whether it formatted
   */
  public static boolean formatIfNeeded(
      BrokerLayout layout, String clusterId, Duration timeout, StartFailure failure) {
    if (Files.exists(layout.metaProperties())) {
      return false;
    }
    List<String> args =
        List.of(
            "format",
            "-t",
            clusterId.isEmpty() ? Uuid.randomUuid().toString() : clusterId,
            "-c",
            layout.serverProperties().toAbsolutePath().toString());
    try {
      Process process =
          JavaProcess.builder(layout, JVM_ARGS, "kafka.tools.StorageTool", args).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw failure.error("Formatting " + layout.logDir() + " took over " + timeout);
      }
      if (process.exitValue() != 0) {
        throw failure.error(
            "Formatting " + layout.logDir() + " failed with exit code " + process.exitValue());
      }
      return true;
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.BROKER_START_FAILED, "Cannot launch the storage format tool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DocstreamException(
          ErrorCode.BROKER_START_FAILED, "Interrupted while formatting " + layout.logDir(), e);
    }
  }
}
