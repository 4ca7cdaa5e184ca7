package io.docstream.cli.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.SharedBroker;
import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard queries is exposed by a processor and a gateway started with
 * the settings of docker/compose.yaml (only addresses, ports, directories and the topic prefix
 * replaced to run here).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardMetricsIntegrationTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyDashboardQueryNamesAMetricThatARunningProcessorOrGatewayExposes(@TempDir Path temp)
      throws Exception {
    ComposeFile compose = ComposeFile.read();
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    TopicSetup.ensure(
        TopicSetup.adminProps(bootstrap, Map.of()), new TopicNames(prefix), 3, (short) 1);

    Map<String, String> processorEnv =
        ComposeFile.environment(compose.docstreamServices().get("processor-1"));
    processorEnv.put("DOCSTREAM_BOOTSTRAP_SERVERS", bootstrap);
    processorEnv.put("DOCSTREAM_HTTP_HOST", "127.0.0.1");
    processorEnv.put("DOCSTREAM_HTTP_ADVERTISED_HOST", "127.0.0.1");
    processorEnv.put("DOCSTREAM_HTTP_PORT", "0");
    processorEnv.put("DOCSTREAM_STATE_DIR", temp.toString());
    processorEnv.put("DOCSTREAM_APPLICATION_ID", prefix);
    processorEnv.put("DOCSTREAM_TOPIC_PREFIX", prefix);
    try (ProcessorApp processor =
        ProcessorApp.start(ProcessorConfig.from(ConfigReader.load(null, processorEnv)))) {
      processor.awaitRunning(Duration.ofSeconds(60));
      String processorUrl = "http://127.0.0.1:" + processor.httpPort();

      Map<String, String> gatewayEnv =
          new TreeMap<>(ComposeFile.environment(compose.docstreamServices().get("gateway-1")));
      gatewayEnv.put("DOCSTREAM_BOOTSTRAP_SERVERS", bootstrap);
      gatewayEnv.put("DOCSTREAM_GATEWAY_HOST", "127.0.0.1");
      gatewayEnv.put("DOCSTREAM_GATEWAY_PORT", "0");
      gatewayEnv.put("DOCSTREAM_PROCESSOR_URLS", processorUrl);
      gatewayEnv.put("DOCSTREAM_TOPIC_PREFIX", prefix);
      try (GatewayApp gateway =
          GatewayApp.start(GatewayConfig.from(ConfigReader.load(null, gatewayEnv)))) {
        produce(bootstrap, prefix + ".commands");
        String gatewayUrl = "http://127.0.0.1:" + gateway.port();
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  String exposed = scrape(processorUrl) + scrape(gatewayUrl);
                  for (DashboardQueries.Selector s : DashboardQueries.selectors()) {
                    assertThat(exposed)
                        .as(s.metric())
                        .containsPattern("(?m)^" + s.metric() + "[{ ]");
                    for (String label : s.exactLabels()) {
                      String here = label.replace("\"docstream.", "\"" + prefix + ".");
                      assertThat(exposed)
                          .as(s.metric() + " with " + here)
                          .containsPattern("(?m)^" + s.metric() + "\\{[^}]*" + Pattern.quote(here));
                    }
                  }
                });
      }
    }
  }

  /** Applied messages and one rejection, so that counters labelled by code exist too. */
  private static void produce(String bootstrap, String topic) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String body :
          List.of("{\"body\":{\"n\":1}}", "{\"body\":{\"n\":2}}", "{\"body\":[1]}")) {
        producer
            .send(new ProducerRecord<>(topic, "json/dashboard", body))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  private String scrape(String baseUrl) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
