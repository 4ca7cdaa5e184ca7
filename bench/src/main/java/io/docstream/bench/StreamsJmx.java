package io.docstream.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Kafka Streams' and its producer's cumulative metrics in a target JVM, read over JMX (the bench
 * attaches to the child by pid, so neither the pass-through nor the processor needs a port): what
 * the stream thread's commits spent their time on between two snapshots, the stream threads' CPU
 * time and the JIT's compilation time.
 */
final class StreamsJmx implements AutoCloseable {
  private static final Map<String, String> TOTALS =
      Map.of(
          "commits", "kafka.streams:type=stream-thread-metrics,*|commit-total",
          "flushNanos", "kafka.producer:type=producer-metrics,*|flush-time-ns-total",
          "sendOffsetsNanos",
              "kafka.producer:type=producer-metrics,*|txn-send-offsets-time-ns-total",
          "commitTxnNanos", "kafka.producer:type=producer-metrics,*|txn-commit-time-ns-total",
          "retries", "kafka.producer:type=producer-metrics,*|record-retry-total",
          "records", "kafka.producer:type=producer-metrics,*|record-send-total",
          "requests", "kafka.producer:type=producer-metrics,*|request-total");

  private final JMXConnector connector;
  private final MBeanServerConnection server;

  private StreamsJmx(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
  }

  static StreamsJmx attach(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      String address = vm.startLocalManagementAgent();
      return new StreamsJmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    } finally {
      vm.detach();
    }
  }

  /** The cumulative totals now, summed over the JVM's stream threads and producers. */
  Map<String, Double> totals() throws Exception {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, String> e : TOTALS.entrySet()) {
      String[] parts = e.getValue().split("\\|");
      double sum = 0;
      Set<ObjectName> names = server.queryNames(new ObjectName(parts[0]), null);
      for (ObjectName name : names) {
        if (!hasAttribute(name, parts[1])) {
          continue;
        }
        Object value = server.getAttribute(name, parts[1]);
        if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
          sum += n.doubleValue();
        }
      }
      out.put(e.getKey(), sum);
    }
    return out;
  }

  /** CPU time so far of the JVM's stream threads (named {@code <client id>-StreamThread-<n>}). */
  long streamThreadCpuNanos() throws IOException {
    ThreadMXBean threads =
        ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().matches(".*-StreamThread-\\d+")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  /** Time the JVM's JIT compiler threads have spent compiling so far, in milliseconds. */
  long compilationMillis() throws IOException {
    return ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.COMPILATION_MXBEAN_NAME, CompilationMXBean.class)
        .getTotalCompilationTime();
  }

  private boolean hasAttribute(ObjectName name, String attribute) throws Exception {
    for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
      if (info.getName().equals(attribute)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Per commit between two snapshots: mean milliseconds in the producer flush, in
   * sendOffsetsToTransaction and in commitTransaction; producer records, requests and retries.
   */
  record Commits(
      long commits,
      double flushMillis,
      double sendOffsetsMillis,
      double commitMillis,
      double recordsPerCommit,
      double requestsPerCommit,
      long retries) {
    static Commits between(Map<String, Double> before, Map<String, Double> after) {
      double commits = Math.max(1, after.get("commits") - before.get("commits"));
      ToDoubleFunction<String> delta = k -> after.get(k) - before.get(k);
      return new Commits(
          (long) delta.applyAsDouble("commits"),
          delta.applyAsDouble("flushNanos") / commits / 1e6,
          delta.applyAsDouble("sendOffsetsNanos") / commits / 1e6,
          delta.applyAsDouble("commitTxnNanos") / commits / 1e6,
          delta.applyAsDouble("records") / commits,
          delta.applyAsDouble("requests") / commits,
          (long) delta.applyAsDouble("retries"));
    }
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
