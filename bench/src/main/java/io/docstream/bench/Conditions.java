package io.docstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.utils.AppInfoParser;

/** The machine and software a run happened on, as read from the system. */
record Conditions(
    int cores, String cpuModel, long memoryMegabytes, String java, String kafka, String load) {

  static Conditions now() {
    return new Conditions(
        Runtime.getRuntime().availableProcessors(),
        firstValue("/proc/cpuinfo", "model name"),
        parseLong(firstValue("/proc/meminfo", "MemTotal").replace("kB", "").trim()) / 1024,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        AppInfoParser.getVersion(),
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String firstValue(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // reported as unknown
    }
    return "unknown";
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
