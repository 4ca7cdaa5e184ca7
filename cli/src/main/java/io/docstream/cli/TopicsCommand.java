package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Topic administration. */
@Command(
    name = "topics",
    description = "Manage docstream's topics.",
    subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {
  @Command(
      name = "create",
      description =
          "Create the commands, deltas and rejections topics; existing ones must match the asked"
              + " partitions and replication factor.")
  static final class Create implements Callable<Integer> {
    private static final Duration DESCRIBE_RETRY = Duration.ofMillis(100);

    @Mixin KafkaOptions kafka;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic.")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", description = "Replicas.")
    short replicationFactor;

    @Override
    public Integer call() throws InterruptedException {
      TopicNames topics = kafka.topics();
      try (Admin admin = Admin.create(kafka.adminProps())) {
        awaitCluster(admin);
        TopicSetup.ensure(kafka.adminProps(), topics, partitions, replicationFactor);
        List<String> mismatches = mismatches(describe(admin, topics));
        if (!mismatches.isEmpty()) {
          throw new DocstreamException(
              ErrorCode.TOPIC_MISMATCH,
              String.join("; ", mismatches)
                  + " (existing topics are left as they are; a replication factor or partition"
                  + " count cannot be changed by this command)");
        }
      }
      System.out.println(
          "topics "
              + topics.prefix()
              + ".{commands,deltas,rejections} are present with "
              + partitions
              + " partitions and replication factor "
              + replicationFactor);
      return 0;
    }

    private List<String> mismatches(Map<String, TopicDescription> described) {
      List<String> out = new ArrayList<>();
      described.forEach(
          (name, topic) -> {
            int found = topic.partitions().size();
            if (found != partitions) {
              out.add(name + " has " + found + " partitions, not " + partitions);
            }
            int replicas = topic.partitions().get(0).replicas().size();
            if (replicas != replicationFactor) {
              out.add(name + " has replication factor " + replicas + ", not " + replicationFactor);
            }
          });
      return out;
    }

    private void awaitCluster(Admin admin) throws InterruptedException {
      try {
        admin.describeCluster().clusterId().get(kafka.timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new DocstreamException(
            ErrorCode.KAFKA_UNREACHABLE,
            "Kafka at " + kafka.bootstrap + " did not answer within " + kafka.timeoutMillis + " ms",
            e);
      }
    }

    /** Describes the topics; a topic just created may be unknown to the broker for a moment. */
    private Map<String, TopicDescription> describe(Admin admin, TopicNames topics)
        throws InterruptedException {
      Deadline deadline = Deadline.after(kafka.timeout());
      while (true) {
        try {
          return new TreeMap<>(
              admin
                  .describeTopics(List.of(topics.commands(), topics.deltas(), topics.rejections()))
                  .allTopicNames()
                  .get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || deadline.passed()) {
            throw describeFailed(e.getCause());
          }
          Thread.sleep(DESCRIBE_RETRY.toMillis());
        } catch (TimeoutException e) {
          throw describeFailed(e);
        }
      }
    }

    private static DocstreamException describeFailed(Throwable cause) {
      return new DocstreamException(
          ErrorCode.TOPIC_SETUP_FAILED, "cannot describe the topics: " + cause.getMessage(), cause);
    }
  }
}
