package io.docstream.scenarios;

import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one processor's {@code deltas} and {@code rejections} from the beginning, committed records
 * only, into memory, where each scenario picks out its own by key (and, for records without key, by
 * message id).
 */
final class OutputCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputCollector.class);
  private static final Duration POLL = Duration.ofMillis(50);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicNames topics;
  private final Thread thread;
  private final List<Output> outputs = new ArrayList<>(); // guarded by itself
  private volatile RuntimeException failure;

  OutputCollector(String bootstrapServers, TopicNames topics) {
    this.topics = topics;
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.deltas(), topics.rejections())) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::run, "scenario-outputs-" + topics.prefix());
    thread.setDaemon(true);
    thread.start();
  }

  /** The outputs under {@code keys}, and those without key whose id is in {@code unkeyedIds}. */
  List<Output> matching(Set<String> keys, Set<String> unkeyedIds) {
    if (failure != null) {
      throw new IllegalStateException("reading the outputs failed", failure);
    }
    List<Output> out = new ArrayList<>();
    synchronized (outputs) {
      for (Output o : outputs) {
        if (o.key() == null ? unkeyedIds.contains(o.id()) : keys.contains(o.key())) {
          out.add(o);
        }
      }
    }
    return out;
  }

  private void run() {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          Output.Kind kind =
              r.topic().equals(topics.deltas()) ? Output.Kind.DELTA : Output.Kind.REJECTION;
          String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          Output output = new Output(kind, key, Json.parse(r.value()));
          synchronized (outputs) {
            outputs.add(output);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("reading {} and {} failed", topics.deltas(), topics.rejections(), e);
      failure = e;
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
