package io.docstream.cli;

import io.docstream.topology.TopicSetup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Topic administration. */
@Command(
    name = "topics",
    description = "Manage docstream's topics.",
    subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {
  @Command(name = "create", description = "Create the commands, deltas and rejections topics.")
  static final class Create implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic.")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", description = "Replicas.")
    short replicationFactor;

    @Override
    public Integer call() {
      TopicSetup.ensure(kafka.clientProps(), kafka.topics(), partitions, replicationFactor);
      System.out.println(
          "topics " + kafka.topics().prefix() + ".{commands,deltas,rejections} are present");
      return 0;
    }
  }
}
