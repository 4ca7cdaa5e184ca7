package io.docstream.broker.internal;

import static java.nio.file.StandardOpenOption.APPEND;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogExcerptTest {
  @TempDir Path dir;

  @Test
  void shouldQuoteErrorsBuriedUnderShutdownChatterThenTheLastLines() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("10:00:00.000 INFO  [main] kafka.Kafka - starting");
    lines.add("10:00:01.000 ERROR [main] kafka.network.Acceptor - Unable to start acceptor");
    lines.add("\tat kafka.network.Acceptor.start(Acceptor.scala:1)");
    lines.add("Caused by: java.net.BindException: Address already in use");
    for (int i = 0; i < 100; i++) {
      lines.add("10:00:02.000 INFO  [shutdown] kafka.server - closing " + i);
    }
    Path log = Files.write(dir.resolve("broker.log"), lines);

    String excerpt = LogExcerpt.of(log, 0);

    assertThat(excerpt)
        .contains("Unable to start acceptor", "BindException: Address already in use")
        .contains("closing 99")
        .doesNotContain("closing 50", "Acceptor.scala");
  }

  @Test
  void shouldQuoteOnlyWhatThisAttemptWrote() throws Exception {
    Path log = dir.resolve("broker.log");
    Files.writeString(log, "10:00:00.000 ERROR [main] old - earlier run failed\n");
    long mark = Files.size(log);
    Files.writeString(log, "11:00:00.000 INFO  [main] new - this run\n", APPEND);

    assertThat(LogExcerpt.of(log, mark)).contains("this run").doesNotContain("earlier run");
  }

  @Test
  void shouldSayWhenThereIsNoLog() {
    assertThat(LogExcerpt.of(dir.resolve("missing.log"), 0)).contains("Last lines of");
  }
}
