package io.docstream.broker.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A single-node Kafka broker in the official {@code apache/kafka} image, started by Testcontainers
 * (on the classpath only under the {@code testcontainers} Maven profile).
 */
public final class ContainerBroker {
  public static final String IMAGE = "apache/kafka:4.3.1";

  private ContainerBroker() {}

  /** Whether a Docker engine can be reached, checked without asking Testcontainers (which logs). */
  public static boolean engineLikelyPresent() {
    return System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
  }

  /** Starts a container broker, stopped when the JVM exits; empty when no Docker engine answers. */
  public static Optional<String> start() {
    if (!engineLikelyPresent() || !DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.empty();
    }
    KafkaContainer kafka = new KafkaContainer(IMAGE);
    kafka.start();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "docstream-container-broker"));
    return Optional.of(kafka.getBootstrapServers());
  }
}
