package io.docstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code docstream} command line. */
@Command(
    name = "docstream",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    version = "docstream 0.1.0",
    description = "Live JSON documents on Kafka.",
    subcommands = {
      RunCommand.class,
      ProcessorCommand.class,
      GatewayCommand.class,
      TokenCommand.class,
      SendCommand.class,
      GetCommand.class,
      TailCommand.class,
      TopicsCommand.class,
      VerifyCommand.class,
      RescaleCommand.class
    })
public final class Main {
  /** Exit code of a command that failed with a coded error. */
  static final int FAILED = 2;

  public static void main(String[] args) {
    // The process entry point: its exit code is the command's.
    System.exit(execute(args));
  }

  /** Runs one command line in this JVM and returns its exit code. */
  static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command line, answering every failure with one coded line on stderr. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println(CliErrors.line(CliErrors.coded(e)));
          return FAILED;
        });
    return cli;
  }
}
