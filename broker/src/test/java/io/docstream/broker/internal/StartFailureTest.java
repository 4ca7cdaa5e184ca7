package io.docstream.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.serdes.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartFailureTest {
  private static final String BIND_FAILURE =
      "Caused by: org.apache.kafka.common.KafkaException: Socket server failed to bind to"
          + " 127.0.0.1:%d: Address already in use.\n";

  @TempDir Path dataDir;

  @Test
  void shouldRecognizeATakenPortFromThisAttemptOnly() throws Exception {
    BrokerLayout layout = new BrokerLayout(dataDir);
    Files.writeString(layout.brokerLog(), BIND_FAILURE.formatted(40001));
    StartFailure failure = StartFailure.markLog(layout);
    Files.writeString(layout.brokerLog(), BIND_FAILURE.formatted(40002), StandardOpenOption.APPEND);

    assertThat(failure.portTaken(40002)).isTrue();
    assertThat(failure.portTaken(40001)).isFalse();
  }

  @Test
  void shouldCarryTheStartFailedCode() {
    StartFailure failure = StartFailure.markLog(new BrokerLayout(dataDir));

    assertThat(failure.error("The broker exited with code 1").errorCode())
        .isEqualTo(ErrorCode.BROKER_START_FAILED);
  }
}
