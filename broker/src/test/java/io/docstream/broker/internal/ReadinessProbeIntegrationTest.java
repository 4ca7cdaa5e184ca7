package io.docstream.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that times out says how far the broker got, the one clue a slow CI machine leaves. */
class ReadinessProbeIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path dataDir;
  private Process alive;

  @BeforeEach
  void startAStandInProcess() throws IOException {
    alive = new ProcessBuilder("sleep", "60").start();
  }

  @AfterEach
  void stopIt() {
    alive.destroyForcibly();
  }

  @Test
  void shouldSayHowManyBrokersTheNodeKnewWhenTheClusterDoesNotForm() {
    int port = Integer.parseInt(SharedBroker.bootstrapServers().split(":")[1]);

    assertThatThrownBy(() -> ReadinessProbe.await(alive, port, 2, TIMEOUT, failure()))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BROKER_START_FAILED))
        .hasMessageContaining("did not answer within PT3S (it knew 1 of 2 brokers)");
  }

  @Test
  void shouldSayThePortNeverOpened() throws IOException {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }

    assertThatThrownBy(() -> ReadinessProbe.await(alive, closed, TIMEOUT, failure()))
        .hasMessageContaining("did not answer within PT3S (its port was not open yet)");
  }

  private StartFailure failure() {
    return StartFailure.markLog(new BrokerLayout(dataDir));
  }
}
