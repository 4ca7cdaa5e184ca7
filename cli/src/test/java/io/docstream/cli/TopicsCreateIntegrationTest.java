package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.SharedBroker;
import io.docstream.serdes.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code docstream topics create} on a real broker, where the topics may already exist. */
class TopicsCreateIntegrationTest {
  private final StringWriter err = new StringWriter();

  private int topicsCreate(String prefix, String partitions, String replicationFactor) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(
        "topics",
        "create",
        "--bootstrap",
        SharedBroker.bootstrapServers(),
        "--topic-prefix",
        prefix,
        "--partitions",
        partitions,
        "--replication-factor",
        replicationFactor);
  }

  @Test
  void shouldReportEachMismatchOfExistingTopicsAndFail() {
    // Given the topics, with 2 partitions and replication factor 1
    String prefix = "topics-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(topicsCreate(prefix, "2", "1")).as(err::toString).isZero();

    // When they are asked for again with other partitions and replication factor
    int exit = topicsCreate(prefix, "3", "2");

    // Then each difference is named, with a code, and the command fails
    assertThat(exit).isEqualTo(Main.FAILED);
    assertThat(err.toString())
        .startsWith("error " + ErrorCode.TOPIC_MISMATCH.code() + ": ")
        .contains(prefix + ".commands has 2 partitions, not 3")
        .contains(prefix + ".deltas has replication factor 1, not 2")
        .contains(prefix + ".rejections has 2 partitions, not 3");

    // And asking for what exists succeeds
    err.getBuffer().setLength(0);
    assertThat(topicsCreate(prefix, "2", "1")).as(err::toString).isZero();
  }
}
