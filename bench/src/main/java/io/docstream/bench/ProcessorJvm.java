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
 * properties file in the work directory; its log is {@code processor<suffix>.log} there.
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
    return start(
        bootstrap,
        topics,
        "",
        work,
        httpPort,
        heapMegabytes,
        Map.of("commit.interval.ms", Long.toString(commitIntervalMillis)),
        List.of());
  }

  /**
   * Starts with {@code settings} (processor keys, e.g. {@code profile}) on top of the bench's own
   * and {@code jvmOptions} (e.g. a flight recording) on the java command line; {@code suffix} is
   * appended to the application id and the names of its files, so that several can run in turn.
   */
  static ChildJvm start(
      String bootstrap,
      TopicNames topics,
      String suffix,
      Path work,
      int httpPort,
      int heapMegabytes,
      Map<String, String> settings,
      List<String> jvmOptions)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", "bench-docstream" + suffix);
    p.setProperty("topic.prefix", topics.prefix());
    p.setProperty("state.dir", work.resolve("processor-state" + suffix).toString());
    p.setProperty("http.port", Integer.toString(httpPort));
    settings.forEach(p::setProperty);
    Path file = work.resolve("processor" + suffix + ".properties");
    Files.createDirectories(work);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "docstream bench");
    }
    return ChildJvm.start(
        "processor",
        heapMegabytes,
        jvmOptions,
        "io.docstream.cli.Main",
        List.of("processor", "--config", file.toString()),
        work.resolve("processor" + suffix + ".log"));
  }
}
