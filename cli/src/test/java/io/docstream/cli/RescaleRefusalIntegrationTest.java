package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code docstream rescale} refuses, with a code and what to do, when it cannot run safely. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RescaleRefusalIntegrationTest {
  @TempDir Path temp;

  @Test
  void shouldRefuseWhileAProcessorRunsOrCommandsWaitAndForFewerPartitions() throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "refuse-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, 2, (short) 1);

    // Given a running processor
    try (ProcessorApp processor =
        ProcessorApp.start(
            ProcessorConfig.from(
                new ConfigReader(
                    Map.of(
                        "bootstrap.servers", bootstrap,
                        "application.id", prefix,
                        "topic.prefix", prefix,
                        "state.dir", temp.resolve("state").toString(),
                        "http.port", "0"))))) {
      processor.awaitRunning(Duration.ofSeconds(60));
      // Then the rescale refuses while it is a member of the group
      assertThat(rescale(bootstrap, prefix, "4")).startsWith("2 error 6020: processor group");
    }

    // When a command waits unapplied after the processor stopped
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      Command command = new Command("m1", Json.parse("{\"a\":1}"), "alice", 1L, null);
      producer.send(new ProducerRecord<>(topics.commands(), "json/a", Json.bytes(command))).get();
    }

    // Then the rescale refuses with the lag, and refuses fewer partitions than now
    assertThat(rescale(bootstrap, prefix, "4"))
        .startsWith("2 error 6021: 1 record(s) on " + topics.commands() + " are not applied");
    assertThat(rescale(bootstrap, prefix, "2")).startsWith("2 error 6022: --partitions 2");
    assertThat(TopicSetup.partitions(TopicSetup.adminProps(bootstrap, Map.of()), topics.commands()))
        .isEqualTo(2);
  }

  /** The exit code and stderr of a rescale, as {@code "<exit> <stderr>"}. */
  private static String rescale(String bootstrap, String prefix, String partitions) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var cli = Main.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    PrintStream stdout = System.out;
    int exit;
    try (PrintStream quiet =
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      System.setOut(quiet);
      exit =
          cli.execute(
              "rescale",
              "--bootstrap",
              bootstrap,
              "--topic-prefix",
              prefix,
              "--application-id",
              prefix,
              "--partitions",
              partitions);
    } finally {
      System.setOut(stdout);
    }
    return exit + " " + err.toString(StandardCharsets.UTF_8);
  }
}
