package io.docstream.bench;

import io.docstream.serdes.TopicNames;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The docstream processor ({@code io.docstream.cli.Main processor}) in its own JVM, configured by a
 * properties file in the work directory (plus any {@code settings}, which win); its log is {@code
 * processor.log} there.
 */
final class ProcessorJvm {
  private ProcessorJvm() {}

  static ChildJvm start(
      String bootstrap,
      TopicNames topics,
      Path work,
      int httpPort,
      int heapMegabytes,
      long commitIntervalMillis)
      throws IOException {
    return start(bootstrap, topics, work, httpPort, heapMegabytes, commitIntervalMillis, Map.of());
  }

  static ChildJvm start(
      String bootstrap,
      TopicNames topics,
      Path work,
      int httpPort,
      int heapMegabytes,
      long commitIntervalMillis,
      Map<String, String> settings)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", "bench-docstream");
    p.setProperty("topic.prefix", topics.prefix());
    p.setProperty("state.dir", work.resolve("processor-state").toString());
    p.setProperty("http.port", Integer.toString(httpPort));
    p.setProperty("commit.interval.ms", Long.toString(commitIntervalMillis));
    settings.forEach(p::setProperty);
    Path file = work.resolve("processor.properties");
    Files.createDirectories(work);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "docstream bench");
    }
    return ChildJvm.start(
        "processor",
        heapMegabytes,
        "io.docstream.cli.Main",
        List.of("processor", "--config", file.toString()),
        work.resolve("processor.log"));
  }
}
