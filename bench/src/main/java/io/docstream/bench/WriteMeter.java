package io.docstream.bench;

import io.docstream.topology.TopicSetup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What a target wrote to the broker, read from the broker itself: the sum of end offsets (records,
 * transaction markers included) and of log sizes on disk (bytes: keys, values, headers and the
 * record-batch framing, as stored) over every topic the target writes. Two snapshots taken while
 * nothing is in flight bracket a window exactly.
 */
final class WriteMeter implements AutoCloseable {
  private final Admin admin;
  private final Predicate<String> written;

  /**
   * @param written the topics to count: those the target writes (its outputs and changelogs)
   */
  WriteMeter(String bootstrap, Predicate<String> written) {
    this.admin = Admin.create(TopicSetup.adminProps(bootstrap, Map.of()));
    this.written = written;
  }

  /** Every non-internal topic except the target's input. */
  static Predicate<String> allBut(String inputTopic) {
    return topic -> !topic.startsWith("__") && !topic.equals(inputTopic);
  }

  /** Records and bytes written to the counted topics so far. */
  record Totals(long records, long bytes) {
    Totals minus(Totals earlier) {
      return new Totals(records - earlier.records, bytes - earlier.bytes);
    }
  }

  Totals totals() throws InterruptedException {
    try {
      List<String> topics = new ArrayList<>();
      for (String topic : admin.listTopics().names().get()) {
        if (written.test(topic)) {
          topics.add(topic);
        }
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
        d.partitions()
            .forEach(
                p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      long records = 0;
      for (var offset : admin.listOffsets(latest).all().get().values()) {
        records += offset.offset();
      }
      long bytes = 0;
      List<Integer> brokers = new ArrayList<>();
      admin.describeCluster().nodes().get().forEach(n -> brokers.add(n.id()));
      for (Map<String, LogDirDescription> dirs :
          admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (LogDirDescription dir : dirs.values()) {
          for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
            if (latest.containsKey(replica.getKey())) {
              bytes += replica.getValue().size();
            }
          }
        }
      }
      return new Totals(records, bytes);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading end offsets and log sizes failed", e.getCause());
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
