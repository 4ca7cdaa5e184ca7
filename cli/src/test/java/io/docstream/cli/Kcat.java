package io.docstream.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kcat, the librdkafka command-line client, as a producer that is not Java. Its default partitioner
 * is {@code consistent_random} (CRC-32 of the key), not the Java client's murmur2, so most of its
 * records land on a partition other than their document's.
 */
final class Kcat {
  static final String INSTALL_HINT =
      "kcat is not installed; the test command installs it (apt-get install -y kcat)";
  private static final long TIMEOUT_SECONDS = 30;

  private Kcat() {}

  /** Fails, rather than skips, when kcat is missing: the test command is meant to install it. */
  static void requireInstalled() throws InterruptedException {
    try {
      Process version = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
      if (!version.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || version.exitValue() != 0) {
        version.destroyForcibly();
        throw new AssertionError("kcat -V failed; " + INSTALL_HINT);
      }
    } catch (IOException e) {
      throw new AssertionError(INSTALL_HINT + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Produces one record per line with {@code kcat -P -K:}: the key is the text before the first
   * ':', the value the rest. Returns once kcat has exited after delivering them.
   */
  static void produce(String bootstrap, String topic, List<String> lines, Path workDir)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile(workDir, "kcat-", ".log");
    Process kcat =
        new ProcessBuilder("kcat", "-b", bootstrap, "-t", topic, "-P", "-K:")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try (Writer stdin = new OutputStreamWriter(kcat.getOutputStream(), StandardCharsets.UTF_8)) {
      for (String line : lines) {
        if (line.indexOf('\n') >= 0 || line.indexOf(':') < 0) {
          throw new IllegalArgumentException("not a key:value line: " + line);
        }
        stdin.write(line);
        stdin.write('\n');
      }
    }
    if (!kcat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      kcat.destroyForcibly();
      throw new AssertionError("kcat did not finish within " + TIMEOUT_SECONDS + " s");
    }
    String said = Files.readString(output);
    if (kcat.exitValue() != 0 || said.contains("ERROR")) {
      throw new AssertionError("kcat exited with " + kcat.exitValue() + ": " + said);
    }
  }
}
