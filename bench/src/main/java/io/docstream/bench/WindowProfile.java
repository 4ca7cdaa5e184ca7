package io.docstream.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What a processor JVM did in one bench window, for profiling: a JFR recording of the window
 * ({@code jcmd JFR.start / JFR.stop}); at its start and end, Kafka Streams' metrics read over JMX
 * (record-cache and RocksDB metrics when {@code kafka.metrics.recording.level} is DEBUG), the CPU
 * ticks of every thread, native ones included ({@code /proc/<pid>/task/<tid>/stat}: RocksDB's and
 * the GC's threads are not Java threads, JFR does not sample them), and bytes read from and written
 * to disk ({@code /proc/<pid>/io}). Files go to {@code dir} as {@code <name>.jfr}, {@code
 * <name>-start.txt} and {@code <name>-end.txt}.
 */
final class WindowProfile {
  private static final long JCMD_TIMEOUT_SECONDS = 60;

  private final long pid;
  private final JMXConnector connector;
  private final MBeanServerConnection jmx;
  private final Path dir;
  private final String name;

  private WindowProfile(long pid, JMXConnector connector, Path dir, String name)
      throws IOException {
    this.pid = pid;
    this.connector = connector;
    this.jmx = connector.getMBeanServerConnection();
    this.dir = dir;
    this.name = name;
  }

  static WindowProfile start(long pid, Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    WindowProfile profile =
        new WindowProfile(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)), dir, name);
    profile.snapshot("start");
    jcmd(pid, "JFR.start", "name=" + name, "settings=profile");
    return profile;
  }

  void stop() throws Exception {
    jcmd(
        pid, "JFR.stop", "name=" + name, "filename=" + dir.resolve(name + ".jfr").toAbsolutePath());
    snapshot("end");
    connector.close();
  }

  private void snapshot(String when) throws Exception {
    StringBuilder out = new StringBuilder();
    Path proc = Path.of("/proc", Long.toString(pid));
    out.append("## io\n").append(Files.readString(proc.resolve("io")));
    out.append("## threads: utime stime (ticks) name\n");
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.append(fields[11]).append(' ').append(fields[12]).append(' ').append(comm);
          out.append('\n');
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    out.append("## kafka streams metrics\n");
    for (ObjectName bean : new TreeSet<>(jmx.queryNames(new ObjectName("kafka.streams:*"), null))) {
      for (MBeanAttributeInfo attribute : jmx.getMBeanInfo(bean).getAttributes()) {
        out.append(bean).append(' ').append(attribute.getName()).append(' ');
        out.append(jmx.getAttribute(bean, attribute.getName())).append('\n');
      }
    }
    Files.writeString(dir.resolve(name + "-" + when + ".txt"), out, StandardCharsets.UTF_8);
  }

  private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String[] args = new String[command.length + 2];
    args[0] = jcmd.toString();
    args[1] = Long.toString(pid);
    System.arraycopy(command, 0, args, 2, command.length);
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
    }
  }
}
