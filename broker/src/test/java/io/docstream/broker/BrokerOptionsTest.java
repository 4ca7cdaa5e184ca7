package io.docstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerOptionsTest {
  private final BrokerOptions defaults = BrokerOptions.inDirectory(Path.of("data"));

  @Test
  void shouldDefaultToFreePortsAndModestHeap() {
    assertThat(defaults.port()).isZero();
    assertThat(defaults.controllerPort()).isZero();
    assertThat(defaults.heapMegabytes()).isEqualTo(512);
    assertThat(defaults.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.fullJit()).isFalse();
    assertThat(defaults.settings()).isEmpty();
  }

  @Test
  void shouldAddBrokerSettingsAndKeepThemAcrossCopies() {
    BrokerOptions options =
        defaults
            .withSetting("group.min.session.timeout.ms", "1000")
            .withSetting("group.min.session.timeout.ms", "1500")
            .withPort(9092);
    assertThat(options.settings())
        .containsExactly(Map.entry("group.min.session.timeout.ms", "1500"));
  }

  @Test
  void shouldRefuseSettingsThatPlaceTheNode() {
    assertInvalid(() -> defaults.withSetting("listeners", "PLAINTEXT://0.0.0.0:9092"), "listeners");
    assertInvalid(() -> defaults.withSetting("node.id", "7"), "node.id");
  }

  @Test
  void shouldRejectPortOutOfRangeNamingTheOption() {
    assertInvalid(() -> defaults.withPort(70000), "port must be 0-65535");
    assertInvalid(() -> defaults.withControllerPort(-1), "controllerPort must be 0-65535");
  }

  @Test
  void shouldRejectSamePortForClientsAndController() {
    assertInvalid(() -> defaults.withPort(9092).withControllerPort(9092), "must differ");
  }

  @Test
  void shouldRejectTinyHeapAndNonPositiveTimeout() {
    assertInvalid(() -> defaults.withHeapMegabytes(64), "heapMegabytes must be at least 128");
    assertInvalid(() -> defaults.withStartTimeout(Duration.ZERO), "startTimeout must be positive");
  }

  private static void assertInvalid(Runnable build, String message) {
    assertThatThrownBy(build::run)
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
        .hasMessageContaining(message);
  }
}
