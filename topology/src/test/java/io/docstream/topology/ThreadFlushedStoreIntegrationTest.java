package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.StoreNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.apache.kafka.streams.state.HostInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit's cache flushes on a real Kafka Streams: records of every task's cached stores, and
 * its history runs held until the commit, are sent before the commit's first producer flush, not
 * one task's records per flush.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ThreadFlushedStoreIntegrationTest {
  private static final int PARTITIONS = 4;
  private static final int DOCUMENTS = 16;

  /** What the stream thread's producer was asked to do, in order. */
  private record Call(String what, String topic, Integer partition) {}

  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  @Test
  void shouldSendEveryTasksCachedWritesBeforeTheCommitsFirstFlush(@TempDir Path state)
      throws Exception {
    String bootstrap = SharedBroker.bootstrapServers();
    String prefix = "flushed-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    ProcessorConfig config =
        ProcessorConfig.from(
            new ConfigReader(
                Map.of(
                    "bootstrap.servers",
                    bootstrap,
                    "application.id",
                    prefix,
                    "topic.prefix",
                    prefix,
                    "state.dir",
                    state.toString(),
                    "http.port",
                    "0",
                    "commit.interval.ms",
                    "1000")));
    Properties props = ProcessorApp.streamsProps(config, new HostInfo("127.0.0.1", 1));
    ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
    try (KafkaStreams streams =
        new KafkaStreams(
            DocTopology.build(
                topics, SpaceRegistry.fromProperties(config.spaces()), config, PARTITIONS, metrics),
            props,
            new RecordingClientSupplier())) {
      streams.start();

      // When one burst updates documents on every partition, inside one commit interval
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap, "linger.ms", 50),
              new StringSerializer(),
              new ByteArraySerializer())) {
        awaitRunning(streams);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      topics.commands(),
                      "json/d-" + i,
                      Json.bytes(Command.of("m-" + i, Json.parse("{\"n\":" + i + "}"))))));
        }
        for (Future<RecordMetadata> f : sent) {
          f.get(30, TimeUnit.SECONDS);
        }
      }

      // Then in some commit several tasks' cached stores wrote, and all before its first flush
      List<List<Call>> commits = new ArrayList<>();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                commits.clear();
                commits.addAll(commitPhases(List.copyOf(calls), prefix));
                return commits.stream().anyMatch(c -> cachedPartitions(c, prefix).size() > 1);
              });
      for (List<Call> commit : commits) {
        int firstFlush = indexOf(commit, "flush");
        for (int i = firstFlush + 1; i < commit.size(); i++) {
          assertThat(isWrittenAtTheFlush(commit.get(i), prefix))
              .as("%s sent after the commit's first flush: %s", commit.get(i), commit)
              .isFalse();
        }
      }
    }
  }

  private static void awaitRunning(KafkaStreams streams) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  /**
   * Per committed transaction, its commit phase: the calls after the last record processing sent (a
   * delta or an id entry) up to the commit.
   */
  private static List<List<Call>> commitPhases(List<Call> calls, String prefix) {
    List<List<Call>> phases = new ArrayList<>();
    List<Call> current = new ArrayList<>();
    for (Call call : calls) {
      if (call.what().equals("send") && !isWrittenAtTheFlush(call, prefix)) {
        current = new ArrayList<>();
      } else if (call.what().equals("commit")) {
        phases.add(current);
        current = new ArrayList<>();
      } else {
        current.add(call);
      }
    }
    return phases;
  }

  private static Set<Integer> cachedPartitions(List<Call> commit, String prefix) {
    Set<Integer> partitions = new HashSet<>();
    for (Call call : commit) {
      if (isWrittenAtTheFlush(call, prefix)) {
        partitions.add(call.partition());
      }
    }
    return partitions;
  }

  private static boolean isWrittenAtTheFlush(Call call, String prefix) {
    return call.what().equals("send")
        && (call.topic().equals(prefix + "-" + StoreNames.DOCS + "-changelog")
            || call.topic().equals(prefix + "-" + StoreNames.META + "-changelog")
            || call.topic().equals(prefix + "-" + StoreNames.HISTORY + "-changelog"));
  }

  private static int indexOf(List<Call> commit, String what) {
    for (int i = 0; i < commit.size(); i++) {
      if (commit.get(i).what().equals(what)) {
        return i;
      }
    }
    return commit.size();
  }

  private final class RecordingClientSupplier extends DefaultKafkaClientSupplier {
    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
      return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()) {
        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback done) {
          calls.add(new Call("send", record.topic(), record.partition()));
          return super.send(record, done);
        }

        @Override
        public void flush() {
          calls.add(new Call("flush", null, null));
          super.flush();
        }

        @Override
        public void commitTransaction() {
          calls.add(new Call("commit", null, null));
          super.commitTransaction();
        }
      };
    }
  }
}
