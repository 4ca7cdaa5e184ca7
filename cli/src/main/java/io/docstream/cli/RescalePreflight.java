package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What must hold before a rescale touches anything: no member in the processor group, and every
 * committed record of the commands topic's first {@code partitions} partitions applied (the group's
 * committed offset is followed by no committed record, and no transaction is open there).
 */
final class RescalePreflight {
  private RescalePreflight() {}

  /**
   * Checks group {@code groupId} and returns its committed offsets on the first {@code partitions}
   * partitions of {@code commands} (0 where it committed none).
   */
  static Map<TopicPartition, Long> check(
      Admin admin, Properties consumerProps, String groupId, String commands, int partitions)
      throws Exception {
    refuseLiveMembers(admin, groupId);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(commands, p), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResultInfo> stable =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get();
    Map<TopicPartition, ListOffsetsResultInfo> high = admin.listOffsets(latest).all().get();
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition tp : latest.keySet()) {
      OffsetAndMetadata offset = committed.get(tp);
      from.put(tp, offset == null ? 0L : offset.offset());
      if (stable.get(tp).offset() < high.get(tp).offset()) {
        throw new DocstreamException(
            ErrorCode.RESCALE_COMMANDS_PENDING,
            tp
                + " has a transaction still open (a processor or producer stopped mid-way):"
                + " wait for its transaction timeout (Kafka Streams: 10 s by default) and run the"
                + " rescale again");
      }
    }
    long pending = unapplied(consumerProps, from, stable);
    if (pending > 0) {
      throw new DocstreamException(
          ErrorCode.RESCALE_COMMANDS_PENDING,
          pending
              + " record(s) on "
              + commands
              + " are not applied yet: start the processors until their lag is 0, stop them,"
              + " and run the rescale again");
    }
    return from;
  }

  /**
   * Checks, just before the flip, that no processor of the old generation ran since {@link #check}:
   * the group still has no member and its committed offsets are still {@code applied}.
   */
  static void recheck(Admin admin, String groupId, Map<TopicPartition, Long> applied)
      throws Exception {
    refuseLiveMembers(admin, groupId);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    for (Map.Entry<TopicPartition, Long> e : applied.entrySet()) {
      OffsetAndMetadata now = committed.get(e.getKey());
      if ((now == null ? 0L : now.offset()) != e.getValue()) {
        throw new DocstreamException(
            ErrorCode.RESCALE_PROCESSORS_RUNNING,
            "a processor of group "
                + groupId
                + " applied commands while the rescale ran ("
                + e.getKey()
                + " moved from offset "
                + e.getValue()
                + "): stop every processor and run the rescale again");
      }
    }
  }

  private static void refuseLiveMembers(Admin admin, String groupId) throws Exception {
    ConsumerGroupDescription group;
    try {
      group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return;
      }
      throw e;
    }
    if (!group.members().isEmpty()) {
      throw new DocstreamException(
          ErrorCode.RESCALE_PROCESSORS_RUNNING,
          "processor group "
              + groupId
              + " has "
              + group.members().size()
              + " live member(s) ("
              + group.members().stream()
                  .map(m -> m.host())
                  .distinct()
                  .collect(Collectors.joining(", "))
              + "): stop every processor (a killed one leaves the group after its session"
              + " timeout, 45 s by default) and run the rescale again");
    }
  }

  /** Committed records between each partition's {@code from} and its stable end. */
  private static long unapplied(
      Properties consumerProps,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, ListOffsetsResultInfo> stable) {
    Properties props = new Properties();
    props.putAll(consumerProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long pending = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (Map.Entry<TopicPartition, Long> e : from.entrySet()) {
        long end = stable.get(e.getKey()).offset();
        if (e.getValue() >= end) {
          continue;
        }
        consumer.assign(List.of(e.getKey()));
        consumer.seek(e.getKey(), e.getValue());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.position(e.getKey()) < end && System.nanoTime() < deadline) {
          pending += consumer.poll(Duration.ofMillis(200)).count();
        }
        if (consumer.position(e.getKey()) < end) {
          throw new DocstreamException(
              ErrorCode.KAFKA_UNREACHABLE, e.getKey() + " not read to its end within 30 s");
        }
      }
    }
    return pending;
  }
}
