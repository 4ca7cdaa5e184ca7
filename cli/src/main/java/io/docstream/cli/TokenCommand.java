package io.docstream.cli;

import io.docstream.gateway.DevTokens;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints a development token for a viewer, signed with the secret the running gateway checks: that
 * of {@code --data-dir}, else of the running {@code docstream run}, else of the default data
 * directory if it has one. Never makes a new secret: a token signed with it would be refused.
 */
@Command(name = "token", description = "Print an HS256 dev token for a viewer (embedded default).")
final class TokenCommand implements Callable<Integer> {
  static final String SECRET_ENV = "DOCSTREAM_AUTH_HS256_SECRET";
  private static final Path DEFAULT_DATA_DIR = Path.of("data");

  @Parameters(index = "0", description = "Viewer id (the token's subject).")
  String viewer;

  @Option(
      names = "--data-dir",
      description =
          "The run's data directory (default: that of the running `docstream run`, else ./data).")
  Path dataDir;

  @Option(names = "--hours", defaultValue = "24", description = "Validity (default: 24).")
  long hours;

  @Override
  public Integer call() {
    System.out.println(
        DevTokens.hs256(secret(), viewer, Instant.now().plus(Duration.ofHours(hours))));
    return 0;
  }

  private String secret() {
    String env = System.getenv(SECRET_ENV);
    if (env != null && !env.isEmpty()) {
      return env;
    }
    if (dataDir != null) {
      return Secrets.read(dataDir, Secrets.DEV)
          .orElseThrow(
              () -> notFound("no " + Secrets.DEV + " in " + dataDir + " (has `run` used it?)"));
    }
    return RunRecord.findLive()
        .flatMap(run -> Secrets.read(run.dataDir(), Secrets.DEV))
        .or(() -> Secrets.read(DEFAULT_DATA_DIR, Secrets.DEV))
        .orElseThrow(
            () ->
                notFound(
                    "no running `docstream run` found ("
                        + RunRecord.file()
                        + ") and no "
                        + DEFAULT_DATA_DIR.resolve(Secrets.DEV)
                        + "; start `./docstream run`, or pass --data-dir of the run, or set "
                        + SECRET_ENV));
  }

  private static DocstreamException notFound(String message) {
    return new DocstreamException(ErrorCode.DEV_SECRET_NOT_FOUND, message);
  }
}
