package io.docstream.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limits that thousands of loopback connections run into: open files per process (each
 * connection is a descriptor in the bench JVM and one in the gateway JVM, which inherits the
 * limit), and the ephemeral ports every client socket takes one of.
 *
 * @param openFiles this JVM's open-files limit (the JVM raises the soft limit to the hard one)
 * @param firstPort the first ephemeral port
 * @param lastPort the last ephemeral port
 */
record OsLimits(long openFiles, int firstPort, int lastPort) {
  /** Descriptors and ports left for everything else: Kafka clients, jars, logs. */
  private static final int SPARE = 1000;

  static OsLimits read() throws IOException {
    long openFiles =
        ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    String[] range =
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
            .get(0)
            .trim()
            .split("\\s+");
    return new OsLimits(openFiles, Integer.parseInt(range[0]), Integer.parseInt(range[1]));
  }

  /**
   * @throws IllegalStateException when {@code connections} do not fit, naming the limit to raise
   */
  void require(int connections) {
    if (openFiles < connections + SPARE) {
      throw new IllegalStateException(
          "open files limit "
              + openFiles
              + " is too low for "
              + connections
              + " connections: raise ulimit -n");
    }
    if (lastPort - firstPort + 1 < connections + SPARE) {
      throw new IllegalStateException(
          "ephemeral ports "
              + firstPort
              + "-"
              + lastPort
              + " are too few for "
              + connections
              + " connections: widen net.ipv4.ip_local_port_range");
    }
  }
}
