package io.docstream.broker.internal;

import java.nio.file.Path;

/**
 * Where a broker keeps its files inside its data directory.
 *
 * @param dataDir the broker's data directory
 */
public record BrokerLayout(Path dataDir) {

  /** The Kafka log dir ({@code log.dirs}), holding topic data and the KRaft metadata log. */
  public Path logDir() {
    return dataDir.resolve("kafka-logs");
  }

  /** Written by the storage format; its presence means the log dir is formatted. */
  public Path metaProperties() {
    return logDir().resolve("meta.properties");
  }

  /** The generated broker configuration. */
  public Path serverProperties() {
    return dataDir.resolve("server.properties");
  }

  /** The generated logging configuration of the broker JVM. */
  public Path logbackConfig() {
    return dataDir.resolve("logback-broker.xml");
  }

  /** Everything the broker JVM and the format tool print: logs, JVM errors, stack traces. */
  public Path brokerLog() {
    return dataDir.resolve("broker.log");
  }
}
