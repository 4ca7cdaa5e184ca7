package io.docstream.cli;

import io.docstream.serdes.DocstreamException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code docstream} command line. */
@Command(
    name = "docstream",
    mixinStandardHelpOptions = true,
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
      VerifyCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof DocstreamException coded) {
            cmd.getErr().println("error " + coded.code() + ": " + coded.getMessage());
            return 2;
          }
          throw e;
        });
    System.exit(cli.execute(args));
  }
}
