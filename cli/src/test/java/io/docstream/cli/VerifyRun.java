package io.docstream.cli;

import java.util.ArrayList;
import java.util.List;

/** Runs {@code docstream verify} in this JVM, as a user would from the command line. */
final class VerifyRun {
  private VerifyRun() {}

  /** The exit code of {@code verify} on {@code topicPrefix}'s deployment, with {@code more}. */
  static int exitCode(String bootstrap, String topicPrefix, String url, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify", "--bootstrap", bootstrap, "--topic-prefix", topicPrefix, "--url", url));
    args.addAll(List.of(more));
    return Main.execute(args.toArray(String[]::new));
  }
}
