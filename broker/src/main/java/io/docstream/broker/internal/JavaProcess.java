package io.docstream.broker.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches a main class in a new JVM of the same Java installation and with the same classpath as
 * this one, so the broker runs exactly the Kafka jars this build resolved.
 */
public final class JavaProcess {
  private JavaProcess() {}

  /**
   * A process builder for {@code mainClass} that runs in the data directory and appends its stdout
   * and stderr to {@link BrokerLayout#brokerLog()}.
   */
  public static ProcessBuilder builder(
      BrokerLayout layout, List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add(LogbackConfig.jvmArgument(layout));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(command)
        .directory(layout.dataDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.brokerLog().toFile()));
  }
}
