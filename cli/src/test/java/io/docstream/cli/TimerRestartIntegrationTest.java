package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import io.docstream.topology.TopicSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A durable timer survives the processor going away with its state and fires exactly once. */
class TimerRestartIntegrationTest {
  private static final long TURN_MILLIS = 8000;
  private static final String DOC = "cards/t1";

  @TempDir Path dir;

  @Test
  void shouldFireTheTurnTimerOnceAfterRestartOnWipedState() throws Exception {
    String prefix = "timer-" + UUID.randomUUID();
    Map<String, String> settings = new TreeMap<>();
    settings.put("bootstrap.servers", SharedBroker.bootstrapServers());
    settings.put("application.id", prefix);
    settings.put("topic.prefix", prefix);
    settings.put("http.port", "0");
    settings.put("timer.interval.ms", "100");
    settings.put("commit.interval.ms", "50");
    settings.put("spaces.cards.turnMillis", Long.toString(TURN_MILLIS));
    TopicNames topics = new TopicNames(prefix);
    Properties client = TopicSetup.adminProps(SharedBroker.bootstrapServers(), Map.of());
    TopicSetup.ensure(client, topics, 2, (short) 1);

    // Given a game whose first turn timer is pending
    long started;
    try (ProcessorApp first = start(settings, dir.resolve("state-1"))) {
      started = System.currentTimeMillis();
      send(topics, "j1", "alice", "{\"op\":\"join\"}", started);
      send(topics, "j2", "bob", "{\"op\":\"join\"}", started);
      send(topics, "s1", "alice", "{\"op\":\"start\"}", started);
      assertThat(deltas(topics, 3, Duration.ofSeconds(30))).hasSize(3);
    }

    // When the processor comes back on an empty state directory after the timer was due
    Thread.sleep(Math.max(0, started + TURN_MILLIS + 500 - System.currentTimeMillis()));
    List<JsonNode> deltas;
    try (ProcessorApp second = start(settings, dir.resolve("state-2"))) {
      deltas = deltas(topics, 4, Duration.ofSeconds(60));
      Thread.sleep(1500);
      deltas = deltas(topics, 4, Duration.ofSeconds(5));
    }

    // Then each due turn timer fired exactly once, in order, each through a delta of its own:
    // the first at the start message's time plus turnMillis, each next one turnMillis later
    assertThat(deltas).extracting(d -> d.get("seq").longValue()).isEqualTo(seqs(deltas.size()));
    long expectedFireAt = started + TURN_MILLIS;
    int turnNo = deltas.get(2).get("patch").get("turnNo").intValue();
    for (JsonNode timeout : deltas.subList(3, deltas.size())) {
      assertThat(timeout.get("ids").get(0).textValue())
          .startsWith("timer:turn:" + expectedFireAt + ":");
      assertThat(timeout.get("patch").get("turnNo").intValue()).isEqualTo(++turnNo);
      expectedFireAt += TURN_MILLIS;
    }
  }

  private static List<Long> seqs(int count) {
    List<Long> out = new ArrayList<>();
    for (long seq = 1; seq <= count; seq++) {
      out.add(seq);
    }
    return out;
  }

  private static ProcessorApp start(Map<String, String> settings, Path stateDir) throws Exception {
    Map<String, String> withState = new TreeMap<>(settings);
    withState.put("state.dir", stateDir.toString());
    ProcessorApp app = ProcessorApp.start(ProcessorConfig.from(new ConfigReader(withState)));
    app.awaitRunning(Duration.ofSeconds(60));
    return app;
  }

  private static void send(TopicNames topics, String id, String actor, String body, long ts) {
    Properties props = new Properties();
    props.put("bootstrap.servers", SharedBroker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      Command command = new Command(id, Json.parse(body), actor, ts, null);
      producer.send(new ProducerRecord<>(topics.commands(), DOC, Json.bytes(command)));
    }
  }

  /** Every committed delta of DOC, waiting until there are at least {@code count}. */
  private static List<JsonNode> deltas(TopicNames topics, int count, Duration timeout) {
    Properties props = TopicSetup.adminProps(SharedBroker.bootstrapServers(), Map.of());
    List<JsonNode> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (TopicTail tail = new TopicTail(props, List.of(topics.deltas()), true)) {
      while (System.currentTimeMillis() < deadline && (out.size() < count || !tail.atEnd())) {
        for (ConsumerRecord<String, String> r : tail.poll(Duration.ofMillis(200))) {
          out.add(Json.parse(r.value()));
        }
      }
    }
    assertThat(new HashSet<>(out)).as("no delta twice").hasSameSizeAs(out);
    return out;
  }
}
