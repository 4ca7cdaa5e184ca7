package io.docstream.cli;

import io.docstream.gateway.GatewayApp;
import io.docstream.gateway.GatewayConfig;
import io.docstream.serdes.ConfigReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a WebSocket gateway against any Kafka cluster and processors. */
@Command(
    name = "gateway",
    description = "Run a WebSocket gateway (settings: file, then DOCSTREAM_* env).")
final class GatewayCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file (see README, Gateway).")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayConfig settings = GatewayConfig.from(ConfigReader.load(config, System.getenv()));
    GatewayApp gateway = GatewayApp.start(settings);
    System.out.printf("gateway on ws://%s:%d/ws%n", settings.host(), gateway.port());
    ProcessorCommand.runUntilStopped(gateway);
    return 0;
  }
}
