package io.docstream.gateway.internal;

import io.docstream.serdes.Delta;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.JsonSerde;
import io.docstream.serdes.Rejection;
import io.docstream.serdes.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read_committed consumer per gateway, without a group: partitions are assigned by hand, only
 * those holding a watched document, each from its end when first watched. A document's partition is
 * {@code murmur2(key) % partitions}, the default partitioner's choice, which the processor's sinks
 * use too. All consumer calls happen on its own thread; requests queue for it. The partition counts
 * are read again every {@link #PARTITION_CHECK}: when a rescale added partitions, the listener is
 * told, so that it watches each document's new partitions (docs/design/rescale.md).
 */
public final class KafkaUpstream implements Upstream {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaUpstream.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  static final Duration PARTITION_CHECK = Duration.ofSeconds(5);
  private static final Duration PARTITION_CHECK_TIMEOUT = Duration.ofSeconds(2);

  private final KafkaConsumer<String, byte[]> consumer;
  private final TopicNames topics;
  private volatile int deltaPartitions;
  private volatile int rejectionPartitions;
  private long partitionsCheckedNanos = System.nanoTime();
  private final Listener listener;
  private final GatewayMetrics metrics;
  private final LinkedBlockingQueue<Runnable> requests = new LinkedBlockingQueue<>();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final Deserializer<Delta> deltas = JsonSerde.deltas().deserializer();
  private final Deserializer<Rejection> rejections = JsonSerde.rejections().deserializer();
  private final Thread thread;
  private volatile boolean running = true;

  private KafkaUpstream(
      KafkaConsumer<String, byte[]> consumer,
      TopicNames topics,
      Listener listener,
      GatewayMetrics metrics) {
    this.consumer = consumer;
    this.topics = topics;
    this.listener = listener;
    this.metrics = metrics;
    this.deltaPartitions = partitionCount(topics.deltas());
    this.rejectionPartitions = partitionCount(topics.rejections());
    this.thread = new Thread(this::run, "docstream-gateway-upstream");
  }

  /**
   * Connects and starts reading; the topics must exist.
   *
   * @throws DocstreamException with {@link ErrorCode#KAFKA_UNREACHABLE} or {@link
   *     ErrorCode#TOPIC_SETUP_FAILED}
   */
  public static KafkaUpstream start(
      String bootstrapServers,
      Map<String, String> kafka,
      TopicNames topics,
      Listener listener,
      GatewayMetrics metrics) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(bootstrapServers, kafka),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    try {
      KafkaUpstream upstream = new KafkaUpstream(consumer, topics, listener, metrics);
      upstream.thread.start();
      return upstream;
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * The consumer's settings: {@code kafka} (the gateway's {@code kafka.*} keys) under the ones the
   * upstream depends on. The socket receive buffer is the OS's, autotuned, unless {@code kafka}
   * sets it: with the client's 64 KiB a read_committed consumer on loopback (where a TCP segment
   * can be 64 KiB) at times sat ~200 ms on a fetch response larger than that, which a commit's
   * deltas are at a few thousand messages a second
   * (bench/results/2026-12-07-probe-receive-buffer.md).
   */
  static Properties consumerProperties(String bootstrapServers, Map<String, String> kafka) {
    Properties props = new Properties();
    props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
    props.putAll(kafka);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "docstream-gateway-" + UUID.randomUUID());
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return props;
  }

  private int partitionCount(String topic) {
    try {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
      if (partitions == null || partitions.isEmpty()) {
        throw new DocstreamException(
            ErrorCode.TOPIC_SETUP_FAILED, "topic " + topic + " does not exist");
      }
      return partitions.size();
    } catch (KafkaException e) {
      throw new DocstreamException(
          ErrorCode.KAFKA_UNREACHABLE, "cannot read the partitions of " + topic + ": " + e, e);
    }
  }

  /** The partition the default partitioner picks for a record keyed {@code doc}. */
  static int partitionOf(String doc, int partitions) {
    return Utils.toPositive(Utils.murmur2(doc.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public Set<TopicPartition> partitionsOf(String doc) {
    return Set.of(
        new TopicPartition(topics.deltas(), partitionOf(doc, deltaPartitions)),
        new TopicPartition(topics.rejections(), partitionOf(doc, rejectionPartitions)));
  }

  @Override
  public CompletableFuture<Void> add(Set<TopicPartition> partitions) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Set<TopicPartition> copy = Set.copyOf(partitions);
    requests.add(
        () -> {
          Set<TopicPartition> fresh = new HashSet<>(copy);
          fresh.removeAll(assigned);
          try {
            assigned.addAll(fresh);
            consumer.assign(assigned);
            consumer.seekToEnd(fresh);
            fresh.forEach(consumer::position); // fixes the read_committed end now
            done.complete(null);
          } catch (RuntimeException e) {
            assigned.removeAll(fresh);
            consumer.assign(assigned);
            done.completeExceptionally(
                new DocstreamException(
                    ErrorCode.KAFKA_UNREACHABLE, "cannot read " + fresh + ": " + e, e));
          }
        });
    if (!running) {
      done.completeExceptionally(new DocstreamException(ErrorCode.INTERNAL, "upstream closed"));
    }
    return done;
  }

  @Override
  public void remove(Set<TopicPartition> partitions) {
    Set<TopicPartition> copy = Set.copyOf(partitions);
    requests.add(
        () -> {
          assigned.removeAll(copy);
          consumer.assign(assigned);
        });
  }

  private void run() {
    try {
      while (running) {
        runRequests();
        checkPartitionCounts();
        if (assigned.isEmpty()) {
          Runnable next = requests.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
          if (next != null) {
            next.run();
          }
          continue;
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          List<Event> events = new ArrayList<>(records.count());
          for (ConsumerRecord<String, byte[]> record : records) {
            Event event = read(record);
            if (event != null) {
              events.add(event);
            }
          }
          listener.onRecords(events);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("upstream consumer failed; the gateway no longer receives deltas", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void checkPartitionCounts() {
    if (System.nanoTime() - partitionsCheckedNanos < PARTITION_CHECK.toNanos()) {
      return;
    }
    partitionsCheckedNanos = System.nanoTime();
    Map<String, List<PartitionInfo>> found;
    try {
      found = consumer.listTopics(PARTITION_CHECK_TIMEOUT);
    } catch (KafkaException e) {
      LOG.debug("cannot read partition counts now: {}", e.toString());
      return;
    }
    int deltasNow = found.getOrDefault(topics.deltas(), List.of()).size();
    int rejectionsNow = found.getOrDefault(topics.rejections(), List.of()).size();
    if (deltasNow > deltaPartitions || rejectionsNow > rejectionPartitions) {
      LOG.info(
          "partitions added: {} {} -> {}, {} {} -> {}; watching moved documents again",
          topics.deltas(),
          deltaPartitions,
          Math.max(deltasNow, deltaPartitions),
          topics.rejections(),
          rejectionPartitions,
          Math.max(rejectionsNow, rejectionPartitions));
      deltaPartitions = Math.max(deltasNow, deltaPartitions);
      rejectionPartitions = Math.max(rejectionsNow, rejectionPartitions);
      listener.onPartitionsChanged();
    }
  }

  private void runRequests() {
    Runnable request;
    while ((request = requests.poll()) != null) {
      request.run();
    }
  }

  private Event read(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.key() == null || record.value() == null) {
        throw new IllegalArgumentException("no key or no value");
      }
      if (record.topic().equals(topics.deltas())) {
        return new DeltaEvent(record.key(), deltas.deserialize(record.topic(), record.value()));
      }
      return new RejectionEvent(
          record.key(), rejections.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      metrics.badRecords.increment();
      LOG.warn(
          "skipping unreadable record at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return null;
    }
  }

  @Override
  public boolean healthy() {
    return thread.isAlive();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
