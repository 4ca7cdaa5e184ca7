package io.docstream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClusterIntegrationTest {
  private static final String TOPIC = "docs";
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  @Test
  void shouldKeepAcknowledgedWritesWhenTheControllerAndALeaderAreKilled() throws Exception {
    // Given three nodes and a topic with a replica on each
    try (KafkaCluster cluster =
        KafkaCluster.start(
            BrokerOptions.inDirectory(dataDir)
                .withHeapMegabytes(KafkaCluster.DEFAULT_HEAP_MEGABYTES)
                .withStartTimeout(Duration.ofSeconds(120)),
            3)) {
      try (Admin admin = admin(cluster)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get();
        String offsetsMinIsr =
            admin
                .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                .all()
                .get()
                .values()
                .iterator()
                .next()
                .get("transaction.state.log.min.isr")
                .value();
        assertThat(offsetsMinIsr).isEqualTo("2");
      }
      List<String> sent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = producer(cluster)) {
        // When the active controller, then the partition's leader, is killed between writes
        int controller = cluster.activeController();
        send(producer, sent, 0, 50);
        cluster.kill(controller);
        send(producer, sent, 50, 100);
        cluster.restart(controller);
        cluster.awaitFullyReplicated(CATCH_UP);
        int leader = cluster.leaderOf(TOPIC, 0);
        cluster.kill(leader);
        send(producer, sent, 100, 150);
        cluster.restart(leader);
        cluster.awaitFullyReplicated(CATCH_UP);
      }
      // Then every acknowledged write is there, once, in order
      assertThat(readAll(cluster, sent.size())).isEqualTo(sent);
    }
  }

  private static void send(
      KafkaProducer<String, String> producer, List<String> sent, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>(TOPIC, "k", "v" + i)).get();
      sent.add("v" + i);
    }
  }

  private static Admin admin(KafkaCluster cluster) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static List<String> readAll(KafkaCluster cluster, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
