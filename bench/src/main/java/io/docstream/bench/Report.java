package io.docstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The markdown report of a run: conditions first, then one table row per measurement. */
record Report(
    BenchOptions options,
    Conditions conditions,
    String loadAtEnd,
    List<Measurement> results,
    List<String> skipped,
    Duration elapsed,
    ProfileComparison profiles) {

  /** Writes {@code <dir>/<date>.md}, or {@code <date>-2.md} etc. if that exists. */
  Path writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    String date = LocalDate.now().toString();
    Path file = dir.resolve(date + ".md");
    for (int n = 2; Files.exists(file); n++) {
      file = dir.resolve(date + "-" + n + ".md");
    }
    Files.writeString(file, markdown());
    return file;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# docstream bench, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append("\n\n## Conditions\n\n");
    Conditions c = conditions;
    line(
        md,
        "Machine: %d cores (%s), %d MiB RAM, shared with other builds",
        c.cores(),
        c.cpuModel(),
        c.memoryMegabytes());
    line(md, "Load average (1/5/15 min): %s at start, %s at end", c.load(), loadAtEnd);
    line(md, "Software: %s, Kafka %s (broker and clients)", c.java(), c.kafka());
    line(
        md,
        "Broker: one KRaft node in its own JVM, -Xmx%dm, %s, loopback",
        options.brokerHeapMegabytes,
        options.brokerC1Only ? "C1 only" : "C2 on");
    line(
        md,
        "Target: its own JVM, -Xms/-Xmx%dm, %d stream threads, exactly_once_v2, %s, %d partitions",
        options.heapMegabytes,
        options.streamThreads,
        options.profiles.isEmpty()
            ? "commit.interval.ms=" + options.commitIntervalMillis
            : "each profile's settings (see the per-profile table)",
        options.partitions);
    line(
        md,
        "Generator and read_committed consumer: one bench JVM; idempotent producer, acks=all, linger.ms=%d",
        LoadGenerator.LINGER_MS);
    line(
        md,
        "Stream: one-field updates (`{\"id\":..., \"body\":{\"u3\": n}}`, ~%d bytes) round-robin over %d documents; the same stream for every target",
        Workload.typicalUpdateBytes(),
        options.documents);
    if (!options.processorSettings.isEmpty()) {
      line(md, "Processor settings added: %s", options.processorSettings);
    }
    if (options.passThroughStores > 0) {
      line(
          md,
          "Pass-through with stores: before copying a message it puts it into %d logged, uncached RocksDB stores under a key of its own, so it writes %d records a message",
          options.passThroughStores,
          options.passThroughStores + 1);
    }
    line(
        md,
        "Documents pre-filled to size with 1000-character fields before their updates; docstream's cache is 64 MiB per task (default)");
    if (options.rateFraction == null) {
      line(
          md,
          "Per target: warm-up %d s (first in a JVM) or %d s at %d msg/s, discarded; latency window %d s at %d msg/s; %d s saturating, discarded, then the throughput window %d s saturating with at most %,d messages in flight",
          options.warmUpSeconds,
          options.shortWarmUpSeconds,
          options.ratePerSecond,
          options.latencySeconds,
          options.ratePerSecond,
          options.settleSeconds,
          options.throughputSeconds,
          Procedure.maxInFlight(options));
    } else {
      line(
          md,
          "Paced rate: %.0f%% of docstream's saturated rate in this run, per profile (the rate of its first document size), the same for the pass-through of the pair",
          100 * options.rateFraction);
      line(
          md,
          "Docstream: warm-up %d s (first in a JVM) or %d s at %d msg/s, discarded; %d s saturating, discarded, then the throughput window %d s saturating with at most %,d messages in flight; warm-up %d s at the paced rate, discarded; latency window %d s at the paced rate",
          options.warmUpSeconds,
          options.shortWarmUpSeconds,
          options.ratePerSecond,
          options.settleSeconds,
          options.throughputSeconds,
          Procedure.maxInFlight(options),
          options.shortWarmUpSeconds,
          options.latencySeconds);
      line(
          md,
          "Pass-through: warm-up %d s at the paced rate, discarded; latency window %d s at the paced rate; %d s saturating, discarded, then the throughput window %d s saturating",
          options.warmUpSeconds,
          options.latencySeconds,
          options.settleSeconds,
          options.throughputSeconds);
    }
    line(
        md,
        "Latency: record timestamp (the time the message was due to be sent) to receipt by the read_committed consumer, nearest-rank percentiles");
    line(md, "Whole run: %d s", elapsed.toSeconds());
    md.append("\n## Results\n\n")
        .append(
            "| target | document | max msg/s | p50 ms | p99 ms | p99.9 ms | max ms | samples | target CPU ms/msg | records/msg | bytes/msg | notes |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Measurement m : results) {
      Latencies.Summary l = m.latency();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,.0f | %d | %d | %d | %d | %,d | %.3f | %.2f | %.0f | %s |%n",
              m.target(),
              m.documentBytes() == 0
                  ? "-"
                  : size(m.documentBytes()) + " (read back " + size(m.storedSample()) + ")",
              m.throughputPerSecond(),
              l.p50(),
              l.p99(),
              l.p999(),
              l.max(),
              l.samples(),
              m.cpuMillisPerMessage(),
              m.writes().records(),
              m.writes().bytes(),
              notes(m)));
    }
    md.append(
        "\n\"max msg/s\" is the committed output rate while the generator saturates the target "
            + "(generator, consumer, broker and target share the cores). Latency columns are at the "
            + "paced rate. \"records/msg\" and \"bytes/msg\" are what the target wrote to the "
            + "broker per committed message over the throughput window (settle, window and drain): "
            + "end offsets (transaction markers included) and log bytes on disk (record-batch "
            + "framing included) of every topic it writes, outputs and changelogs.\n");
    md.append(cores());
    md.append(commits());
    md.append(profiles.markdown());
    if (!skipped.isEmpty()) {
      md.append("\nSkipped: ").append(String.join("; ", skipped)).append('\n');
    }
    md.append("\nReproduce: `bench/run.sh` (options: `bench/run.sh --help`).\n");
    return md.toString();
  }

  /** Where the cores went while each target was saturated. */
  private String cores() {
    StringBuilder md = new StringBuilder();
    md.append("\n## The cores in the throughput window\n\n")
        .append(
            "CPU time over wall-clock time while the generator saturated the target (settle"
                + " excluded), in cores: the target's stream threads (their CPU times over JMX), its"
                + " JIT compiler threads (their compilation time over JMX: a JIT still compiling"
                + " takes cores from the target), its whole JVM, and the whole machine (broker,"
                + " generator and consumer included)."
                + " Per message: the target JVM's CPU time over the messages committed. A stream"
                + " thread well under one core on a machine with cores to spare waits (commits,"
                + " fetches); a busy machine means it also waits for a core.\n\n")
        .append(
            "| target | max msg/s | stream threads, cores | JIT compiler, cores | target JVM, cores | target JVM µs/msg | machine busy, cores of %d |\n"
                .formatted(Runtime.getRuntime().availableProcessors()))
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Measurement m : results) {
      Saturation c = m.cores();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %s | %s | %.2f | %.1f | %.2f |%n",
              m.target(),
              m.throughputPerSecond(),
              c.streamThreads() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", c.streamThreads()),
              c.jit() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", c.jit()),
              c.target(),
              m.throughputPerSecond() == 0 ? 0 : c.target() * 1e6 / m.throughputPerSecond(),
              c.machine()));
    }
    return md.toString();
  }

  /** Where each target's commits spent their time in its latency window (Kafka's metrics). */
  private String commits() {
    StringBuilder md = new StringBuilder();
    md.append("\n## The commit in the latency window\n\n")
        .append(
            "Per commit of the stream thread over the latency window, from the target's Kafka"
                + " metrics read over JMX: the producer's flush, sendOffsetsToTransaction and"
                + " commitTransaction (each blocks the thread), the records and produce requests it"
                + " sent, and its record retries in the window (e.g. CONCURRENT_TRANSACTIONS).\n\n")
        .append(
            "| target | commits/s | flush ms | send offsets ms | commit txn ms | records/commit | requests/commit | retries |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Measurement m : results) {
      StreamsJmx.Commits c = m.commits();
      if (c == null) {
        continue;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,d |%n",
              m.target(),
              (double) c.commits() / options.latencySeconds,
              c.flushMillis(),
              c.sendOffsetsMillis(),
              c.commitMillis(),
              c.recordsPerCommit(),
              c.requestsPerCommit(),
              c.retries()));
    }
    return md.toString();
  }

  private static String notes(Measurement m) {
    String rejections = m.rejections() == 0 ? "" : m.rejections() + " rejections; ";
    return (rejections + m.notes()).trim();
  }

  private static String size(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
    return bytes >= 1024 ? String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0) : bytes + " B";
  }

  private static void line(StringBuilder md, String format, Object... args) {
    md.append("- ").append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
