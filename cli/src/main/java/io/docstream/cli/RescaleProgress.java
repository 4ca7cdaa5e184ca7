package io.docstream.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Documents, records and bytes moved so far, printed at most once a second with rate and ETA; holds
 * the copy back to a record rate when one is set.
 */
final class RescaleProgress {
  private static final long PRINT_EVERY_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final long totalRecords;
  private final long maxRecordsPerSecond;
  private final long startNanos = System.nanoTime();
  private final Set<String> documents = new HashSet<>();
  private long records;
  private long bytes;
  private long printedNanos = startNanos;

  RescaleProgress(PrintStream out, long totalRecords, long maxRecordsPerSecond) {
    this.out = out;
    this.totalRecords = totalRecords;
    this.maxRecordsPerSecond = maxRecordsPerSecond;
  }

  void moved(String document, long recordBytes) throws InterruptedException {
    documents.add(document);
    records++;
    bytes += recordBytes;
    long now = System.nanoTime();
    if (now - printedNanos >= PRINT_EVERY_NANOS) {
      printedNanos = now;
      out.println(line(now));
    }
    if (maxRecordsPerSecond > 0) {
      long dueNanos = startNanos + records * 1_000_000_000L / maxRecordsPerSecond;
      long aheadMillis = (dueNanos - now) / 1_000_000;
      if (aheadMillis > 0) {
        Thread.sleep(aheadMillis);
      }
    }
  }

  private String line(long nowNanos) {
    double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
    double recordsPerSecond = records / seconds;
    long left = Math.max(0, totalRecords - records);
    return String.format(
        "moved %d documents, %d of %d records, %.1f MB; %.0f documents/s, %.2f MB/s; %s",
        documents.size(),
        records,
        totalRecords,
        bytes / 1e6,
        documents.size() / seconds,
        bytes / 1e6 / seconds,
        left == 0
            ? "copy done"
            : recordsPerSecond <= 0
                ? "time left unknown"
                : String.format("about %.0f s left", left / recordsPerSecond));
  }

  String summary() {
    return line(System.nanoTime());
  }
}
