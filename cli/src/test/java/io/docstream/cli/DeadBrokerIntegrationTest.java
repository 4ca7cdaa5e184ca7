package io.docstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docstream.broker.OrphanGuard;
import io.docstream.gateway.ProcessorJvm;
import io.docstream.serdes.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CLI against a Kafka that does not answer, run as a person runs it (its own JVM, the CLI's own
 * log configuration): one coded line on stderr, no Kafka client warnings, and done within the
 * timeout it was given.
 */
class DeadBrokerIntegrationTest {
  private static final long TIMEOUT_MILLIS = 3000;

  /**
   * JVM start and class loading on a loaded 2-core machine (4 s seen), beyond the timeout; before
   * the bound a dead broker took 64 s.
   */
  private static final long JVM_SLACK_MILLIS = 15000;

  @Test
  void shouldGiveUpWithinTheTimeoutWithOneCodedLineForEachKafkaCommand() throws Exception {
    String dead = "127.0.0.1:" + ProcessorJvm.freePort();
    String timeout = Long.toString(TIMEOUT_MILLIS);
    for (List<String> command :
        List.of(
            List.of("send", "json/x", "{}", "--bootstrap", dead, "--timeout-ms", timeout),
            List.of("tail", "--bootstrap", dead, "--timeout-ms", timeout),
            List.of("topics", "create", "--bootstrap", dead, "--timeout-ms", timeout),
            List.of("verify", "--bootstrap", dead, "--timeout-ms", timeout))) {
      long start = System.nanoTime();
      Result result = runCli(command);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(result.exit()).as(command + "\n" + result.stderr()).isEqualTo(Main.FAILED);
      assertThat(result.stderr())
          .as(command.toString())
          .matches("error " + ErrorCode.KAFKA_UNREACHABLE.code() + ": [^\\n]*\\n");
      assertThat(millis).as(command.toString()).isLessThan(TIMEOUT_MILLIS + JVM_SLACK_MILLIS);
    }
  }

  private record Result(int exit, String stderr) {}

  private static Result runCli(List<String> args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                OrphanGuard.class.getName(),
                Main.class.getName()));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), stderr);
  }
}
