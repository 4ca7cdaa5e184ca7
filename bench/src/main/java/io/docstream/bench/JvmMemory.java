package io.docstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of another JVM at one moment: its live heap right after a full GC, by class ({@code
 * jcmd <pid> GC.class_histogram}, which collects first), and its resident set size ({@code VmRSS}
 * in {@code /proc/<pid>/status}) just after.
 *
 * @param liveHeapBytes bytes of live objects, the histogram's total
 * @param rssBytes resident set size
 * @param classes live instances and bytes per class name
 */
record JvmMemory(long liveHeapBytes, long rssBytes, Map<String, Usage> classes) {
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
  private static final long JCMD_TIMEOUT_SECONDS = 120;

  /** Live instances and their bytes. */
  record Usage(long instances, long bytes) {}

  static JvmMemory of(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram did not finish");
    }
    Map<String, Usage> classes = new HashMap<>();
    long total = -1;
    for (String line : output.split("\n")) {
      Matcher row = ROW.matcher(line);
      Matcher sum = TOTAL.matcher(line);
      if (row.matches()) {
        classes.merge(
            row.group(3),
            new Usage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
            (a, b) -> new Usage(a.instances + b.instances, a.bytes + b.bytes));
      } else if (sum.matches()) {
        total = Long.parseLong(sum.group(2));
      }
    }
    if (total < 0) {
      throw new IllegalStateException("no histogram from jcmd " + pid + ": " + output);
    }
    return new JvmMemory(total, rssBytes(pid), classes);
  }

  private static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
