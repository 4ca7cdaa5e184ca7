package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StartupProgressTest {
  private final StartupProgress progress =
      new StartupProgress(
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

  @Test
  void shouldReportRecordsRestoredOfTotalPerStore() {
    TopicPartition docs0 = new TopicPartition("docstream-docstream-docs-changelog", 0);
    TopicPartition docs1 = new TopicPartition("docstream-docstream-docs-changelog", 1);
    TopicPartition meta0 = new TopicPartition("docstream-docstream-meta-changelog", 0);
    progress.onRestoreStart(docs0, "docstream-docs", 100, 1100);
    progress.onRestoreStart(docs1, "docstream-docs", 0, 2000);
    progress.onRestoreStart(meta0, "docstream-meta", 0, 40);
    progress.onBatchRestored(docs0, "docstream-docs", 600, 500);
    progress.onBatchRestored(docs1, "docstream-docs", 250, 250);
    progress.onBatchRestored(meta0, "docstream-meta", 40, 40);

    assertThat(progress.report(KafkaStreams.State.REBALANCING))
        .isEqualTo("restoring: docstream-docs 750/3,000 records; docstream-meta 40/40 records");

    progress.onRestoreEnd(meta0, "docstream-meta", 40);
    progress.onRestoreSuspended(docs1, "docstream-docs", 250);
    assertThat(progress.report(KafkaStreams.State.REBALANCING))
        .isEqualTo("restoring: docstream-docs 500/1,000 records");
    progress.onRestoreEnd(docs0, "docstream-docs", 1000);
    assertThat(progress.report(KafkaStreams.State.REBALANCING)).startsWith("starting: waiting");
  }
}
