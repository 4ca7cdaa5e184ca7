package io.docstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time counters ({@code /proc/stat}, all cores), in clock ticks; guest time is
 * already counted in user time.
 *
 * @param busyTicks time not idle and not waiting for I/O
 * @param totalTicks all time
 */
record MachineCpu(long busyTicks, long totalTicks) {
  private static final int IDLE = 4;
  private static final int IOWAIT = 5;
  private static final int STEAL = 8;

  static MachineCpu now() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i <= STEAL; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[IDLE]) + Long.parseLong(fields[IOWAIT]);
    return new MachineCpu(total - idle, total);
  }

  /** The share of all cores' time that was busy since {@code before}, 0-1. */
  double busySince(MachineCpu before) {
    long total = totalTicks - before.totalTicks;
    return total == 0 ? 0 : (double) (busyTicks - before.busyTicks) / total;
  }
}
