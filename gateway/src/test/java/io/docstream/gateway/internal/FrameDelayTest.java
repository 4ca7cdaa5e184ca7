package io.docstream.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class FrameDelayTest {
  @Test
  void shouldExposeCumulativeBucketsPerStage() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FrameDelay delay = new GatewayMetrics(registry).frameDelay;
    long now = System.nanoTime();

    delay.socket.at(now, now - 4_000_000); // 4 ms
    delay.socket.at(now, now - 5_000_000); // 5 ms, on the bound
    delay.socket.at(now, now - 7_000_000_000L); // 7 s
    delay.socket.at(now, 0); // not from upstream: not counted

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("docstream_gateway_frame_delay_total{le=\"0.004\",stage=\"socket\"} 1")
        .contains("docstream_gateway_frame_delay_total{le=\"0.005\",stage=\"socket\"} 2")
        .contains("docstream_gateway_frame_delay_total{le=\"5\",stage=\"socket\"} 2")
        .contains("docstream_gateway_frame_delay_total{le=\"+Inf\",stage=\"socket\"} 3")
        .contains("docstream_gateway_frame_delay_total{le=\"0.0005\",stage=\"hub\"} 0");
  }
}
