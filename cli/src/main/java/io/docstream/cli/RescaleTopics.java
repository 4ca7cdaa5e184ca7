package io.docstream.cli;

import io.docstream.state.StoreKeys;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** The topic changes of a rescale, each safe to repeat. */
final class RescaleTopics {
  private static final Duration DELETE_WAIT = Duration.ofSeconds(60);

  private final Admin admin;

  RescaleTopics(Admin admin) {
    this.admin = admin;
  }

  /** The description of {@code topic}, or empty when it does not exist. */
  Optional<TopicDescription> describe(String topic) throws Exception {
    if (!admin.listTopics().names().get().contains(topic)) {
      return Optional.empty();
    }
    return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
  }

  /** Deletes what exists of {@code topics} (a previous run's), then creates them empty. */
  void recreate(Collection<String> topics, int partitions, short replicationFactor)
      throws Exception {
    Set<String> existing = admin.listTopics().names().get();
    List<String> stale = topics.stream().filter(existing::contains).toList();
    if (!stale.isEmpty()) {
      admin.deleteTopics(stale).all().get();
    }
    long deadline = System.nanoTime() + DELETE_WAIT.toNanos();
    for (String topic : topics) {
      NewTopic wanted =
          new NewTopic(topic, partitions, replicationFactor).configs(StoreKeys.changelogConfig());
      while (true) {
        try {
          admin.createTopics(List.of(wanted)).all().get();
          break;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(200); // a deleted topic's name is taken until the controller drops it
        }
      }
    }
  }

  /** Raises each of {@code topics} to {@code partitions}; one already there is left alone. */
  void addPartitions(List<String> topics, int partitions) throws Exception {
    Map<String, NewPartitions> raise = new HashMap<>();
    for (Map.Entry<String, TopicDescription> t :
        admin.describeTopics(topics).allTopicNames().get().entrySet()) {
      if (t.getValue().partitions().size() < partitions) {
        raise.put(t.getKey(), NewPartitions.increaseTo(partitions));
      }
    }
    if (!raise.isEmpty()) {
      admin.createPartitions(raise).all().get();
    }
  }

  /** Sets group {@code groupId}'s committed offsets (the group must have no member). */
  void commit(String groupId, Map<TopicPartition, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    offsets.forEach((tp, offset) -> out.put(tp, new OffsetAndMetadata(offset)));
    admin.alterConsumerGroupOffsets(groupId, out).all().get();
  }
}
