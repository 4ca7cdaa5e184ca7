package io.docstream.cli;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;

/**
 * One Kafka broker (its own JVM) for all integration tests of this test JVM, started on first use
 * in a temporary directory and stopped and deleted when the JVM exits. Tests isolate themselves
 * with their own topic prefix and application id.
 *
 * <p>The broker module's {@code SharedBroker} does the same for every module, but lives on h/broker
 * and is not merged into h/integration yet; once it is, this class gives way to it.
 */
final class TestBroker {
  private static KafkaBroker broker; // guarded by TestBroker.class

  private TestBroker() {}

  static synchronized String bootstrapServers() {
    if (broker == null) {
      broker = startInTemporaryDirectory();
    }
    return broker.bootstrapServers();
  }

  private static KafkaBroker startInTemporaryDirectory() {
    try {
      Path dataDir = Files.createTempDirectory("docstream-cli-it-broker-");
      KafkaBroker started = KafkaBroker.start(BrokerOptions.inDirectory(dataDir));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stopAndDelete(started), "cli-it-broker-shutdown"));
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the test broker", e);
    }
  }

  private static void stopAndDelete(KafkaBroker started) {
    started.stop();
    try {
      Utils.delete(started.dataDir().toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + started.dataDir(), e);
    }
  }
}
