package io.docstream.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPropertiesTest {
  private final Properties properties =
      ServerProperties.of(new BrokerLayout(Path.of("/data/broker")), 9092, 9093);

  @Test
  void shouldListenOnLoopbackOnly() {
    assertThat(properties.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    assertThat(properties.getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092");
    assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
  }

  @Test
  void shouldKeepDataInTheLayoutsLogDir() {
    assertThat(properties.getProperty("log.dirs")).isEqualTo("/data/broker/kafka-logs");
  }

  @Test
  void shouldNeverCreateTopicsImplicitly() {
    assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("false");
  }

  @Test
  void shouldReplicateInternalTopicsOnEveryNodeOfAQuorum() {
    String voters = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097";
    Properties node2 =
        ServerProperties.of(
            new BrokerLayout(Path.of("/data/node-2")), 9094, 9095, new NodeRole(2, voters, 3, "c"));
    assertThat(node2.getProperty("node.id")).isEqualTo("2");
    assertThat(node2.getProperty("controller.quorum.voters")).isEqualTo(voters);
    for (String key :
        new String[] {
          "offsets.topic.replication.factor",
          "transaction.state.log.replication.factor",
          "share.coordinator.state.topic.replication.factor",
          "default.replication.factor"
        }) {
      assertThat(node2.getProperty(key)).as(key).isEqualTo("3");
    }
    for (String key :
        new String[] {
          "transaction.state.log.min.isr",
          "share.coordinator.state.topic.min.isr",
          "min.insync.replicas"
        }) {
      assertThat(node2.getProperty(key)).as(key).isEqualTo("2");
    }
  }

  @Test
  void shouldWriteSettingsOverTheGeneratedOnes(@TempDir Path dir) throws Exception {
    BrokerLayout layout = new BrokerLayout(dir);
    ServerProperties.write(
        layout,
        9092,
        9093,
        NodeRole.SINGLE,
        Map.of("group.min.session.timeout.ms", "1000", "group.initial.rebalance.delay.ms", "50"));
    Properties written = new Properties();
    try (Reader in = Files.newBufferedReader(layout.serverProperties())) {
      written.load(in);
    }
    assertThat(written.getProperty("group.min.session.timeout.ms")).isEqualTo("1000");
    assertThat(written.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("50");
    assertThat(written.getProperty("listeners")).isEqualTo(properties.getProperty("listeners"));
  }

  @Test
  void shouldKeepOneReplicaOnASingleNode() {
    assertThat(properties.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    assertThat(properties.getProperty("min.insync.replicas")).isEqualTo("1");
  }
}
