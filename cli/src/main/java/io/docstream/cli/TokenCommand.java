package io.docstream.cli;

import io.docstream.gateway.DevTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a development token for a viewer, signed with the embedded default's secret. */
@Command(name = "token", description = "Print an HS256 dev token for a viewer (embedded default).")
final class TokenCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Viewer id (the token's subject).")
  String viewer;

  @Option(names = "--data-dir", defaultValue = "data", description = "The run's data directory.")
  Path dataDir;

  @Option(names = "--hours", defaultValue = "24", description = "Validity.")
  long hours;

  @Override
  public Integer call() {
    String secret = DevSecret.readOrCreate(dataDir);
    System.out.println(
        DevTokens.hs256(secret, viewer, Instant.now().plus(Duration.ofHours(hours))));
    return 0;
  }
}
