package io.docstream.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerPropertiesTest {
  private final Properties properties =
      ServerProperties.of(new BrokerLayout(Path.of("/data/broker")), 9092, 9093);

  @Test
  void shouldListenOnLoopbackOnly() {
    assertThat(properties.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    assertThat(properties.getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092");
    assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
  }

  @Test
  void shouldKeepDataInTheLayoutsLogDir() {
    assertThat(properties.getProperty("log.dirs")).isEqualTo("/data/broker/kafka-logs");
  }

  @Test
  void shouldNeverCreateTopicsImplicitly() {
    assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("false");
  }
}
