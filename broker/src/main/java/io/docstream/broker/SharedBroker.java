package io.docstream.broker;

import io.docstream.broker.internal.ContainerBroker;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker for all the tests of a JVM run, in any module: started on first use in a
 * temporary directory, stopped and deleted when the JVM exits. Tests that stop, kill or restart a
 * broker start their own {@link KafkaBroker} instead.
 *
 * <p>With the system property {@code docstream.test.broker=container} (the Maven profile {@code
 * testcontainers} sets it) the shared broker is an {@code apache/kafka} container where a Docker
 * engine is present; where none is, one line says so and the embedded broker is used.
 */
public final class SharedBroker {
  private static final Logger log = LoggerFactory.getLogger(SharedBroker.class);
  static final String CHOICE_PROPERTY = "docstream.test.broker";
  private static String bootstrapServers; // guarded by SharedBroker.class

  private SharedBroker() {}

  /**
   * The shared broker's address, starting it if this is the first call. If starting fails, the
   * error is thrown and the next call tries again.
   *
   * @throws DocstreamException with {@link ErrorCode#BROKER_START_FAILED} when the broker does not
   *     start
   */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers =
          containerRequested()
              ? startContainer().orElseGet(() -> startInTemporaryDirectory().bootstrapServers())
              : startInTemporaryDirectory().bootstrapServers();
    }
    return bootstrapServers;
  }

  static boolean containerRequested() {
    return "container".equals(System.getProperty(CHOICE_PROPERTY));
  }

  private static Optional<String> startContainer() {
    Optional<String> started;
    try {
      started = ContainerBroker.start();
    } catch (LinkageError e) {
      log.info(
          "{}=container: Testcontainers is not on the classpath (use -Ptestcontainers); "
              + "the tests use the embedded broker",
          CHOICE_PROPERTY);
      return Optional.empty();
    }
    if (started.isEmpty()) {
      log.info(
          "{}=container: no Docker engine here; the tests use the embedded broker",
          CHOICE_PROPERTY);
    }
    return started;
  }

  private static KafkaBroker startInTemporaryDirectory() {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("docstream-shared-broker-");
    } catch (IOException e) {
      throw new DocstreamException(
          ErrorCode.BROKER_START_FAILED, "Cannot create a directory for the shared broker", e);
    }
    KafkaBroker started = KafkaBroker.start(BrokerOptions.inDirectory(dataDir));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stopAndDelete(started), "docstream-shared-broker-shutdown"));
    return started;
  }

  private static void stopAndDelete(KafkaBroker started) {
    started.stop();
    try (Stream<Path> files = Files.walk(started.dataDir())) {
      files.sorted(Comparator.reverseOrder()).forEach(SharedBroker::delete);
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot delete the shared broker's directory {}", started.dataDir(), e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
