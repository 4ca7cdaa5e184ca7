package io.docstream.broker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The logging configuration of the broker JVM. The broker logs through slf4j, which finds logback
 * on the classpath it inherits; logback would otherwise pick up the starting module's {@code
 * logback-test.xml}. This configuration prints to the JVM's stdout, which the launcher appends to
 * {@link BrokerLayout#brokerLog()} together with stderr, so JVM errors land in the same file.
 */
public final class LogbackConfig {
  private static final String XML =
      """
      <configuration>
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder>
            <pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>
          </encoder>
        </appender>
        <root level="INFO">
          <appender-ref ref="STDOUT"/>
        </root>
      </configuration>
      """;

  private LogbackConfig() {}

  /** Writes the configuration to {@link BrokerLayout#logbackConfig()}. */
  public static void write(BrokerLayout layout) {
    try {
      Files.writeString(layout.logbackConfig(), XML);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + layout.logbackConfig(), e);
    }
  }

  /** The system property that makes logback use this configuration. */
  public static String jvmArgument(BrokerLayout layout) {
    return "-Dlogback.configurationFile=" + layout.logbackConfig().toAbsolutePath();
  }
}
