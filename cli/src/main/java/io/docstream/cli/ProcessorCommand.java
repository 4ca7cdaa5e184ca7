package io.docstream.cli;

import io.docstream.serdes.ConfigReader;
import io.docstream.topology.ProcessorApp;
import io.docstream.topology.ProcessorConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a processor instance against any Kafka cluster. */
@Command(
    name = "processor",
    description = "Run a processor against a Kafka cluster (settings: file, then DOCSTREAM_* env).")
final class ProcessorCommand implements Callable<Integer> {
  @Option(names = "--config", description = "Properties file (see README, Operate it).")
  Path config;

  @Override
  public Integer call() throws Exception {
    ProcessorConfig settings = ProcessorConfig.from(ConfigReader.load(config, System.getenv()));
    ProcessorApp app = ProcessorApp.start(settings);
    runUntilStopped(app);
    return 0;
  }

  /** Blocks until the JVM is asked to stop, then closes {@code resources} in order. */
  static void runUntilStopped(AutoCloseable... resources) throws InterruptedException {
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable resource : resources) {
                    try {
                      resource.close();
                    } catch (Exception e) {
                      System.err.println("error while stopping " + resource + ": " + e);
                    }
                  }
                },
                "docstream-shutdown"));
    forever.await();
  }
}
