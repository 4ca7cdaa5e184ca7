package io.docstream.cli.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.cli.Main;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What can be proven about docker/ without a Docker engine: the compose file is valid, its
 * docstream services run real commands with settings the processor and gateway read, Prometheus
 * scrapes each of them, and Grafana is provisioned with the dashboard.
 */
class DockerFilesTest {
  @Test
  void composeFileIsValidForDockerCompose() throws Exception {
    Assumptions.assumeTrue(
        onPath("docker-compose"),
        "docker-compose is not installed (./scripts/test installs it); skipping its validation");
    Process p =
        new ProcessBuilder(
                "docker-compose",
                "-f",
                ComposeFile.DOCKER_DIR.resolve("compose.yaml").toString(),
                "config",
                "-q")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
  }

  @Test
  void composeRunsThreeBrokersTwoProcessorsTwoGatewaysPrometheusAndGrafana() throws Exception {
    ComposeFile compose = ComposeFile.read();
    assertThat(compose.serviceNames())
        .contains(
            "kafka-1",
            "kafka-2",
            "kafka-3",
            "topics",
            "processor-1",
            "processor-2",
            "gateway-1",
            "gateway-2",
            "prometheus",
            "grafana");
    assertThat(ComposeFile.command(compose.docstreamServices().get("topics")))
        .containsSubsequence("--replication-factor", "3");
  }

  @Test
  void everyDocstreamServiceRunsACommandOfThisCli() throws Exception {
    for (Map.Entry<String, JsonNode> service : ComposeFile.read().docstreamServices().entrySet()) {
      List<String> args = ComposeFile.command(service.getValue());
      CommandLine.ParseResult parsed =
          new CommandLine(new Main()).parseArgs(args.toArray(new String[0]));
      assertThat(parsed.hasSubcommand()).as(service.getKey()).isTrue();
    }
  }

  @Test
  void processorAndGatewayEnvironmentHoldsOnlyKeysTheyRead() throws Exception {
    int checked = 0;
    for (Map.Entry<String, JsonNode> service : ComposeFile.read().docstreamServices().entrySet()) {
      String command = ComposeFile.command(service.getValue()).get(0);
      ConfigReader settings = ConfigReader.load(null, ComposeFile.environment(service.getValue()));
      if (command.equals("processor")) {
        ProcessorConfig.from(settings);
      } else if (command.equals("gateway")) {
        GatewayConfig.from(settings);
      } else {
        continue;
      }
      checked++;
      assertThat(settings.unreadKeys()).as(service.getKey()).isEmpty();
    }
    assertThat(checked).isEqualTo(4);
  }

  @Test
  void prometheusScrapesEveryProcessorAndGatewayOnItsHttpPort() throws Exception {
    Set<String> expected = new HashSet<>();
    for (Map.Entry<String, JsonNode> service : ComposeFile.read().docstreamServices().entrySet()) {
      Map<String, String> env = ComposeFile.environment(service.getValue());
      String command = ComposeFile.command(service.getValue()).get(0);
      if (command.equals("processor")) {
        expected.add(service.getKey() + ":" + env.get("DOCSTREAM_HTTP_PORT"));
      } else if (command.equals("gateway")) {
        expected.add(service.getKey() + ":" + env.get("DOCSTREAM_GATEWAY_PORT"));
      }
    }
    JsonNode prometheus = ComposeFile.yaml("prometheus.yml");
    Set<String> targets = new HashSet<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
      job.findValues("targets").forEach(list -> list.forEach(t -> targets.add(t.asText())));
    }
    assertThat(targets).isEqualTo(expected);
  }

  @Test
  void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() throws Exception {
    JsonNode datasources = ComposeFile.yaml("grafana/provisioning/datasources/prometheus.yaml");
    String uid = datasources.path("datasources").get(0).path("uid").asText();
    assertThat(datasources.path("datasources").get(0).path("url").asText())
        .isEqualTo("http://prometheus:9090");
    JsonNode dashboard = DashboardQueries.dashboard();
    assertThat(dashboard.path("panels")).isNotEmpty();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(uid);
      assertThat(panel.path("targets")).isNotEmpty();
    }
    JsonNode provider = ComposeFile.yaml("grafana/provisioning/dashboards/docstream.yaml");
    String dashboardsPath = provider.path("providers").get(0).path("options").path("path").asText();
    JsonNode grafana = ComposeFile.yaml("compose.yaml").path("services").path("grafana");
    assertThat(grafana.path("volumes").toString())
        .contains("./grafana/dashboards:" + dashboardsPath + ":ro")
        .contains("./grafana/provisioning:/etc/grafana/provisioning:ro");
  }

  @Test
  void imageRunsTheCliAsANonRootUserWithAHealthCheck() throws Exception {
    List<String> lines = Files.readAllLines(ComposeFile.DOCKER_DIR.resolve("Dockerfile"));
    assertThat(lines).anyMatch(l -> l.startsWith("FROM eclipse-temurin:17-jre"));
    assertThat(lines).anyMatch(l -> l.matches("USER (?!root\\b)\\w+"));
    assertThat(lines).anyMatch(l -> l.startsWith("HEALTHCHECK "));
    String entrypoint =
        lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    assertThat(entrypoint).contains(Main.class.getName());
    assertThat(lines)
        .anyMatch(l -> l.contains("/src/cli/target/docstream-cli.jar"))
        .anyMatch(l -> l.contains("/src/cli/target/lib/"));
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
