package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ProcessorMetricsTest {
  @Test
  void shouldExposeSizesAndTimesAsCumulativeHistogramsWithoutClientSideQuantiles() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessorMetrics metrics = new ProcessorMetrics(registry);

    metrics.applied(100, 3000, 30_000, 7);
    metrics.applied(5000, 3000, 3_000_000, 400);
    metrics.applied(100, 70_000, 3_000_000, -1);

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("docstream_delta_bytes_bucket{le=\"128.0\"} 2")
        .contains("docstream_delta_bytes_bucket{le=\"4096.0\"} 2")
        .contains("docstream_delta_bytes_bucket{le=\"16384.0\"} 3")
        .contains("docstream_delta_bytes_sum 5200.0")
        .contains("docstream_document_bytes_bucket{le=\"4096.0\"} 2")
        .contains("docstream_document_bytes_bucket{le=\"65536.0\"} 2")
        .contains("docstream_document_bytes_bucket{le=\"262144.0\"} 3")
        .contains("docstream_processing_seconds_bucket{le=\"5.0E-5\"} 1")
        .contains("docstream_processing_seconds_bucket{le=\"0.002\"} 1")
        .contains("docstream_processing_seconds_bucket{le=\"0.005\"} 3")
        .contains("docstream_processing_seconds_count 3")
        .contains("docstream_message_to_delta_seconds_bucket{le=\"0.01\"} 1")
        .contains("docstream_message_to_delta_seconds_bucket{le=\"0.5\"} 2")
        .contains("docstream_message_to_delta_seconds_count 2")
        .doesNotContain("quantile=");
  }
}
