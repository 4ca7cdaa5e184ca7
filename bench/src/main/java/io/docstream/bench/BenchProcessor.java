package io.docstream.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A docstream processor JVM ({@code io.docstream.cli.Main processor}) for the scale benches, on a
 * given class path (this build's, or another build's for a before/after pair), with Kafka Streams'
 * restore lines in its log.
 */
final class BenchProcessor {
  private static final String LOGBACK =
      """
      <configuration>
        <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
          <target>System.err</target>
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.kafka" level="WARN"/>
        <logger name="org.apache.kafka.streams.processor.internals.StoreChangelogReader"
            level="INFO"/>
        <logger name="io.docstream" level="INFO"/>
        <root level="WARN"><appender-ref ref="STDERR"/></root>
      </configuration>
      """;

  private static final String RESTORED = "with a total number of ";

  private BenchProcessor() {}

  /** Writes {@code <name>.properties} and a logback file next to {@code dir}, then starts. */
  static ChildJvm start(String classPath, int heapMegabytes, Properties config, Path dir, Path log)
      throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolveSibling(dir.getFileName() + ".properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(out, "docstream scale bench");
    }
    Path logback = dir.resolveSibling("logback.xml");
    Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
    return ChildJvm.start(
        "processor",
        heapMegabytes,
        List.of("-Dlogback.configurationFile=" + logback.toAbsolutePath()),
        classPath,
        "io.docstream.cli.Main",
        List.of("processor", "--config", file.toString()),
        log);
  }

  /** Records Kafka Streams logged as restored from changelogs, per the processor's log. */
  static long restoredRecords(Path log) throws IOException {
    long total = 0;
    if (!Files.exists(log)) {
      return 0;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      int at = line.indexOf(RESTORED);
      if (at >= 0) {
        total += Long.parseLong(line.substring(at + RESTORED.length()).split(" ")[0]);
      }
    }
    return total;
  }

  /** Bytes under {@code dir} (the processor's state directory). */
  static long directoryBytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // a file RocksDB removed meanwhile
                }
              })
          .sum();
    }
  }

  /**
   * Seconds from the first changelog end offset Kafka Streams logged (restoration begins) to the
   * last changelog it logged as restored, from the log's HH:mm:ss.SSS stamps (one day at most).
   */
  static double restoreSeconds(Path log) throws IOException {
    long first = -1;
    long last = -1;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (first < 0 && line.contains("End offset for changelog")) {
        first = millisOfDay(line);
      } else if (line.contains(RESTORED)) {
        last = millisOfDay(line);
      }
    }
    return first < 0 || last < 0 ? -1 : Math.floorMod(last - first, 86_400_000L) / 1000.0;
  }

  private static long millisOfDay(String line) {
    return java.time.LocalTime.parse(line.substring(0, 12)).toNanoOfDay() / 1_000_000;
  }
}
