package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class StartupProgressTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final StartupProgress progress =
      new StartupProgress(
          new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofMillis(50));
  private final TopicPartition changelog =
      new TopicPartition("docstream-docstream-docs-changelog", 0);
  private volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
  private volatile boolean storesReadable = true;

  private void awaitReady(Duration timeout) throws InterruptedException {
    progress.awaitReady(() -> state, () -> storesReadable, timeout);
  }

  @Test
  void shouldNotBeReadyWhileAStoreRestoresThoughStreamsIsRunning() throws Exception {
    progress.onRestoreStart(changelog, "docstream-docs", 0, 1000);
    progress.onBatchRestored(changelog, "docstream-docs", 400, 400);

    assertThatThrownBy(() -> awaitReady(Duration.ofMillis(300)))
        .isInstanceOf(DocstreamException.class)
        .hasMessageContaining("not ready");
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("restoring: docstream-docs 400/1,000 records");

    progress.onRestoreEnd(changelog, "docstream-docs", 1000);
    awaitReady(Duration.ofSeconds(5));
  }

  @Test
  void shouldNotBeReadyWhileAnActiveTasksStoresCannotBeRead() throws Exception {
    storesReadable = false;
    assertThatThrownBy(() -> awaitReady(Duration.ofMillis(300)))
        .isInstanceOf(DocstreamException.class);
    storesReadable = true;
    awaitReady(Duration.ofSeconds(5));
  }

  @Test
  void shouldFailWithACodeWhenStreamsStops() {
    state = KafkaStreams.State.ERROR;
    assertThatThrownBy(() -> awaitReady(Duration.ofSeconds(5)))
        .isInstanceOf(DocstreamException.class)
        .extracting(e -> ((DocstreamException) e).code())
        .isEqualTo(ErrorCode.STREAMS_FAILED.code());
  }

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
