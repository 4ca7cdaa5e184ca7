package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.serdes.TopicNames;
import io.docstream.state.StoreKeys;
import io.docstream.state.StoreNames;
import io.docstream.topology.Generation;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The offline partition rescale (docs/design/rescale.md): copies every store's changelog into the
 * next generation's topics by the new partition count, adds partitions to the topics, sets the new
 * generation's offsets and, last, flips the control record that processors read at start.
 */
@Command(
    name = "rescale",
    description =
        "Raise the partition count, moving every document's state; run with every processor"
            + " stopped and every command applied. Safe to run again after a crash.")
final class RescaleCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--partitions", required = true, description = "The new partition count.")
  int partitions;

  @Option(
      names = "--application-id",
      defaultValue = "docstream",
      description = "The processors' application.id setting (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--max-records-per-second",
      defaultValue = "0",
      description =
          "Copy at most this many state records a second, to spare a busy cluster (0, the"
              + " default: no limit).")
  long maxRecordsPerSecond;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    TopicNames topics = kafka.topics();
    Generation current = Generation.current(kafka.adminProps(), topics, applicationId);
    try (Admin admin = Admin.create(kafka.adminProps())) {
      RescaleTopics topicOps = new RescaleTopics(admin);
      TopicDescription commands =
          topicOps
              .describe(topics.commands())
              .orElseThrow(
                  () ->
                      new DocstreamException(
                          ErrorCode.TOPIC_SETUP_FAILED, topics.commands() + " does not exist"));
      int commandPartitions = commands.partitions().size();
      if (current.partitions() == partitions && commandPartitions == partitions) {
        out.printf(
            "already rescaled to %d partitions: generation %d (%s) is current; start the"
                + " processors%n",
            partitions, current.number(), current.applicationId(applicationId));
        return 0;
      }
      String oldId = current.applicationId(applicationId);
      Optional<TopicDescription> oldDocs =
          topicOps.describe(StoreKeys.changelogTopic(oldId, StoreNames.DOCS));
      int oldPartitions = oldDocs.map(d -> d.partitions().size()).orElse(commandPartitions);
      if (partitions <= oldPartitions || commandPartitions > partitions) {
        throw new DocstreamException(
            ErrorCode.RESCALE_PARTITIONS_INVALID,
            "--partitions "
                + partitions
                + " must be above the current "
                + oldPartitions
                + " and not below the "
                + commandPartitions
                + " partitions of "
                + topics.commands()
                + " (Kafka cannot remove partitions)");
      }
      Map<TopicPartition, Long> applied =
          RescalePreflight.check(
              admin, kafka.consumerProps(), oldId, topics.commands(), oldPartitions);
      Generation next = current.next(partitions);
      String newId = next.applicationId(applicationId);
      out.printf(
          "rescaling %s from %d to %d partitions: generation %d (%s) to %d (%s)%n",
          topics.prefix(),
          oldPartitions,
          partitions,
          current.number(),
          oldId,
          next.number(),
          newId);
      short replication = (short) commands.partitions().get(0).replicas().size();
      topicOps.recreate(
          StoreKeys.STORES.stream().map(s -> StoreKeys.changelogTopic(newId, s)).toList(),
          partitions,
          replication);
      copyChangelogs(topicOps, oldId, newId, out);
      topicOps.addPartitions(
          List.of(topics.commands(), topics.deltas(), topics.rejections()), partitions);
      Map<TopicPartition, Long> offsets = new HashMap<>(applied);
      for (int p = oldPartitions; p < partitions; p++) {
        offsets.put(new TopicPartition(topics.commands(), p), 0L);
      }
      topicOps.commit(newId, offsets);
      RescalePreflight.recheck(admin, oldId, applied);
      Generation.flip(kafka.adminProps(), topics, applicationId, next, replication);
      out.printf(
          "done: generation %d (%s) is current with %d partitions; start the processors. The old"
              + " generation's changelogs (%s-*-changelog) and state directories (<state.dir>/%s)"
              + " are no longer used and can be deleted.%n",
          next.number(), newId, partitions, oldId, oldId);
      return 0;
    } catch (DocstreamException e) {
      throw e;
    } catch (Exception e) {
      throw new DocstreamException(
          ErrorCode.RESCALE_FAILED,
          "rescale stopped: " + e + "; run it again (the current generation is untouched)",
          e);
    }
  }

  private void copyChangelogs(RescaleTopics topicOps, String oldId, String newId, PrintStream out)
      throws Exception {
    try (ChangelogCopy copy = new ChangelogCopy(kafka.producerProps(), kafka.consumerProps())) {
      Map<String, List<Map<TopicPartition, Long>>> bounds = new HashMap<>();
      long total = 0;
      for (String store : StoreKeys.STORES) {
        String source = StoreKeys.changelogTopic(oldId, store);
        Optional<TopicDescription> d = topicOps.describe(source);
        if (d.isPresent()) {
          List<Map<TopicPartition, Long>> b = copy.bounds(source, d.get().partitions().size());
          bounds.put(store, b);
          total += ChangelogCopy.records(b.get(0), b.get(1));
        }
      }
      RescaleProgress progress = new RescaleProgress(out, total, maxRecordsPerSecond);
      for (Map.Entry<String, List<Map<TopicPartition, Long>>> store : bounds.entrySet()) {
        copy.copy(
            store.getKey(),
            StoreKeys.changelogTopic(oldId, store.getKey()),
            store.getValue().get(1),
            StoreKeys.changelogTopic(newId, store.getKey()),
            partitions,
            progress);
      }
      out.println(progress.summary());
    }
  }
}
