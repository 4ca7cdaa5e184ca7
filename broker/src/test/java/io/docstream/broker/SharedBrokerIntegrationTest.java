package io.docstream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedBrokerIntegrationTest {

  @Test
  void shouldStartOneBrokerForTheWholeJvm() {
    String first = SharedBroker.bootstrapServers();

    assertThat(SharedBroker.bootstrapServers()).isEqualTo(first).startsWith("127.0.0.1:");
  }
}
