package io.docstream.topology;

import io.docstream.spaces.SpaceRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A processor assembled as {@link ProcessorApp#start} assembles it (the same topology, the same
 * Streams properties, the same read API) but on a clock the scenario runner sets. {@link
 * ProcessorApp} has no way to take a clock; without one, scenario timestamps would have to be
 * shifted to "now", and the cards space seeds its shuffle from them.
 *
 * <p>It lives in the topology's package to reuse {@link ProcessorApp#streamsProps}, so that the
 * scenarios never run with settings of their own.
 */
public final class ClockedProcessor implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final ReadApi readApi;

  private ClockedProcessor(KafkaStreams streams, ReadApi readApi) {
    this.streams = streams;
    this.readApi = readApi;
  }

  /** The processor's Kafka Streams properties, as {@link ProcessorApp} sets them. */
  public static Properties streamsProps(ProcessorConfig config) {
    return ProcessorApp.streamsProps(config, new HostInfo(config.advertisedHost(), 1));
  }

  /** Starts the processor on {@code clock}; the topics must exist. */
  public static ClockedProcessor start(ProcessorConfig config, Time clock) throws IOException {
    SpaceRegistry spaces = SpaceRegistry.fromProperties(config.spaces());
    Properties admin = TopicSetup.adminProps(config.bootstrapServers(), config.kafka());
    int commandPartitions = TopicSetup.partitions(admin, config.topics().commands());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<DocumentLocator> locator =
        new AtomicReference<>(doc -> new DocumentLocation.Migrating("processor is starting"));
    AtomicReference<KafkaStreams> running = new AtomicReference<>();
    ReadApi readApi =
        new ReadApi(
            config.httpHost(),
            config.httpPort(),
            doc -> locator.get().locate(doc),
            registry,
            () -> running.get() != null && running.get().state() == KafkaStreams.State.RUNNING);
    HostInfo self = new HostInfo(config.advertisedHost(), readApi.port());
    KafkaStreams streams =
        new KafkaStreams(
            DocTopology.build(
                config.topics(), spaces, config, commandPartitions, new ProcessorMetrics(registry)),
            ProcessorApp.streamsProps(config, self),
            clock);
    running.set(streams);
    locator.set(new StreamsLocator(streams, self));
    // A scenario run must fail loudly rather than carry on with a replaced thread.
    streams.setUncaughtExceptionHandler(
        e -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    streams.start();
    return new ClockedProcessor(streams, readApi);
  }

  public KafkaStreams streams() {
    return streams;
  }

  public int httpPort() {
    return readApi.port();
  }

  /** Stops and leaves the group, as {@link ProcessorApp#close} does. */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT));
    readApi.close();
  }
}
