package io.docstream.cli;

import io.docstream.gateway.ProcessorJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts {@code docstream processor} or {@code docstream gateway} in its own JVM as an operator
 * would: {@code java -cp <this classpath> io.docstream.cli.Main <command> --config <file>}.
 */
final class CliJvm {
  private static final int HEAP_MEGABYTES = 512;

  private CliJvm() {}

  /** Launches {@code processor --config config}; {@code httpPort} must match the file's. */
  static ProcessorJvm processor(Path config, int httpPort, Path log) throws IOException {
    return start("processor", config, httpPort, log);
  }

  /**
   * Launches {@code gateway --config config}; {@code port} must match the file's {@code
   * gateway.port} (the gateway serves {@code /healthz} there too).
   */
  static ProcessorJvm gateway(Path config, int port, Path log) throws IOException {
    return start("gateway", config, port, log);
  }

  private static ProcessorJvm start(String command, Path config, int port, Path log)
      throws IOException {
    return ProcessorJvm.launch(
        List.of(Main.class.getName(), command, "--config", config.toString()),
        HEAP_MEGABYTES,
        log,
        port);
  }
}
