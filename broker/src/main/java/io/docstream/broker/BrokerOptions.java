package io.docstream.broker;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How to start a {@link KafkaBroker}: where it keeps its data, which loopback ports it listens on
 * and how big its JVM may grow.
 *
 * @param dataDir the broker's directory; it holds the Kafka log dir, the generated configuration
 *     and {@code broker.log}. Starting again on the same directory keeps the data.
 * @param port the client (PLAINTEXT) port on 127.0.0.1, or 0 to pick a free one
 * @param controllerPort the KRaft controller port on 127.0.0.1, or 0 to pick a free one
 * @param heapMegabytes the broker JVM's maximum heap ({@code -Xmx}), at least {@value
 *     #MIN_HEAP_MEGABYTES}
 * @param startTimeout how long {@link KafkaBroker#start} waits for the broker to answer
 * @param fullJit whether the broker JVM may use the optimizing C2 compiler. Off by default: with C1
 *     only ({@code -XX:TieredStopAtLevel=1}) a broker took about 3.9 s of CPU to start instead of
 *     6.7 s on this 2-core machine, which is what tests need; turn it on for throughput benchmarks.
 * @param settings broker properties added to (or replacing) the generated ones, such as {@code
 *     group.min.session.timeout.ms}; the keys that place the node (its roles, id, quorum, listeners
 *     and log dirs) are the fixture's and refused here
 */
public record BrokerOptions(
    Path dataDir,
    int port,
    int controllerPort,
    int heapMegabytes,
    Duration startTimeout,
    boolean fullJit,
    Map<String, String> settings) {

  /** The smallest heap a broker starts with reliably. */
  public static final int MIN_HEAP_MEGABYTES = 128;

  private static final int DEFAULT_HEAP_MEGABYTES = 512;
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  private static final Set<String> FIXTURE_KEYS =
      Set.of(
          "process.roles",
          "node.id",
          "controller.quorum.voters",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "controller.listener.names",
          "inter.broker.listener.name",
          "log.dirs");

  /** Validates every field; a bad value fails with {@link ErrorCode#CONFIG_INVALID}. */
  public BrokerOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(startTimeout, "startTimeout");
    settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
    requirePort("port", port);
    requirePort("controllerPort", controllerPort);
    if (port != 0 && port == controllerPort) {
      throw invalid("port and controllerPort must differ, both were " + port);
    }
    if (heapMegabytes < MIN_HEAP_MEGABYTES) {
      throw invalid(
          "heapMegabytes must be at least " + MIN_HEAP_MEGABYTES + ", was " + heapMegabytes);
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw invalid("startTimeout must be positive, was " + startTimeout);
    }
    for (String key : settings.keySet()) {
      if (FIXTURE_KEYS.contains(key)) {
        throw invalid("settings may not set " + key + ": the fixture sets it for each node");
      }
    }
  }

  /** Free ports, a 512 MB heap, a 60 s start timeout and a quick-start JIT, in {@code dataDir}. */
  public static BrokerOptions inDirectory(Path dataDir) {
    return new BrokerOptions(
        dataDir, 0, 0, DEFAULT_HEAP_MEGABYTES, DEFAULT_START_TIMEOUT, false, Map.of());
  }

  /** A copy in another directory. */
  public BrokerOptions withDataDir(Path dataDir) {
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, settings);
  }

  /** A copy with another client port (0 = pick a free one). */
  public BrokerOptions withPort(int port) {
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, settings);
  }

  /** A copy with another controller port (0 = pick a free one). */
  public BrokerOptions withControllerPort(int controllerPort) {
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, settings);
  }

  /** A copy with another maximum heap for the broker JVM. */
  public BrokerOptions withHeapMegabytes(int heapMegabytes) {
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, settings);
  }

  /** A copy with another start timeout. */
  public BrokerOptions withStartTimeout(Duration startTimeout) {
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, settings);
  }

  /** A copy that allows or forbids the C2 compiler in the broker JVM. */
  public BrokerOptions withFullJit(boolean fullJit) {
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, settings);
  }

  /** A copy with one more broker property (replacing an earlier value of the same key). */
  public BrokerOptions withSetting(String key, String value) {
    Map<String, String> more = new TreeMap<>(settings);
    more.put(key, value);
    return new BrokerOptions(
        dataDir, port, controllerPort, heapMegabytes, startTimeout, fullJit, more);
  }

  private static void requirePort(String name, int value) {
    if (value < 0 || value > 65535) {
      throw invalid(name + " must be 0-65535 (0 = pick a free port), was " + value);
    }
  }

  private static DocstreamException invalid(String message) {
    return new DocstreamException(ErrorCode.CONFIG_INVALID, "Broker option " + message);
  }
}
