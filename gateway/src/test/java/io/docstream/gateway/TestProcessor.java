package io.docstream.gateway;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The processor behind the gateway integration tests: its own topics, in this JVM. */
final class TestProcessor {
  private TestProcessor() {}

  /** Creates {@code prefix}'s topics (3 partitions) and starts a running processor on them. */
  static ProcessorApp start(String prefix, Path stateDir) throws Exception {
    return start(prefix, stateDir, 20);
  }

  /**
   * As {@link #start(String, Path)}, committing every {@code commitIntervalMillis}: its read API's
   * stores are ahead of the committed deltas by up to that long.
   */
  static ProcessorApp start(String prefix, Path stateDir, long commitIntervalMillis)
      throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    TopicSetup.ensure(
        TopicSetup.adminProps(bootstrap, Map.of()), new TopicNames(prefix), 3, (short) 1);
    ProcessorApp processor =
        ProcessorApp.start(
            ProcessorConfig.from(
                new ConfigReader(
                    Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "topic.prefix",
                        prefix,
                        "application.id",
                        prefix + "-it",
                        "state.dir",
                        stateDir.toString(),
                        "http.port",
                        "0",
                        "commit.interval.ms",
                        Long.toString(commitIntervalMillis)))));
    processor.awaitRunning(Duration.ofSeconds(60));
    return processor;
  }
}
