package io.docstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  private static GatewayConfig config(Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(Map.of("bootstrap.servers", "127.0.0.1:9092"));
    values.putAll(extra);
    return GatewayConfig.from(new ConfigReader(values));
  }

  @Test
  void shouldUseTheDocumentedDefaults() {
    GatewayConfig c = config(Map.of());
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.pingIntervalMillis()).isEqualTo(30_000);
    int processors = Runtime.getRuntime().availableProcessors();
    assertThat(c.hubThreads()).isEqualTo(processors);
    assertThat(c.ioThreads()).isEqualTo(Math.max(2, processors));
    assertThat(c.topics().deltas()).isEqualTo("docstream.deltas");
    assertThat(c.processorUrls()).containsExactly("http://127.0.0.1:8081");
    assertThat(c.limits()).isEqualTo(GatewayLimits.defaults());
    assertThat(c.auth().enabled()).isFalse();
    assertThat(c.policies().policy("cards").hidden()).containsExactly("/deck");
  }

  @Test
  void shouldReadTheThreadCounts() {
    GatewayConfig c = config(Map.of("gateway.hub.threads", "3", "gateway.io.threads", "5"));
    assertThat(c.hubThreads()).isEqualTo(3);
    assertThat(c.ioThreads()).isEqualTo(5);
    assertThatThrownBy(() -> config(Map.of("gateway.hub.threads", "0")))
        .isInstanceOf(DocstreamException.class)
        .satisfies(
            e ->
                assertThat(((DocstreamException) e).errorCode())
                    .isEqualTo(ErrorCode.CONFIG_INVALID));
  }

  @Test
  void shouldReadEnvironmentOverrides() {
    ConfigReader reader =
        ConfigReader.load(
            null,
            Map.of(
                "DOCSTREAM_BOOTSTRAP_SERVERS", "b:1",
                "DOCSTREAM_GATEWAY_PORT", "9000",
                "DOCSTREAM_PROCESSOR_URLS", "http://a:1/, http://b:2",
                "DOCSTREAM_PROCESSOR_SECRET", "s3cret"));
    GatewayConfig c = GatewayConfig.from(reader);
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.processorSecret()).isEqualTo("s3cret");
    assertThat(c.processorUrls()).containsExactly("http://a:1", "http://b:2");
  }

  @Test
  void shouldNameTheKeyOfABadValue() {
    assertInvalid(Map.of("gateway.port", "70000"), "gateway.port");
    assertInvalid(Map.of("gateway.ping.interval.ms", "-1"), "gateway.ping.interval.ms");
    assertInvalid(Map.of("auth.hs256.secret", "short"), "auth.hs256.secret");
    assertInvalid(Map.of("processor.urls", "ftp://x"), "processor.urls");
    assertInvalid(Map.of("gateway.space.chat.read", "everyone"), "gateway.space.chat.read");
    assertInvalid(Map.of("gateway.space.chat.colour", "red"), "gateway.space.chat.colour");
  }

  private static void assertInvalid(Map<String, String> values, String key) {
    assertThatThrownBy(() -> config(values))
        .isInstanceOf(DocstreamException.class)
        .hasMessageContaining(key)
        .extracting(e -> ((DocstreamException) e).errorCode())
        .isEqualTo(ErrorCode.CONFIG_INVALID);
  }
}
