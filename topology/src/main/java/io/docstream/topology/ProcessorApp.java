package io.docstream.topology;

import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.spaces.SpaceRegistry;
import io.docstream.state.RocksDbTuning;
import io.docstream.topology.internal.DepartedMemberFencer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running processor instance: the Kafka Streams application plus its read API. */
public final class ProcessorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessorApp.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Kafka Streams' record cache per instance ({@code statestore.cache.max.bytes}, 10 MiB in
   * Streams) unless {@code kafka.statestore.cache.max.bytes} says otherwise. It only has to hold
   * the entry and meta writes of one commit to fold them; larger, it fills with clean entries when
   * documents are many, and every lookup, put and eviction walks a sorted map of ~50,000 keys: 37%
   * of the stream thread with 100,000 documents (bench/results/2026-12-05-many-documents.md).
   */
  static final long RECORD_CACHE_BYTES = 1024 * 1024L;

  private final KafkaStreams streams;
  private final ReadApi readApi;
  private final KafkaStreamsMetrics streamsMetrics;
  private final Optional<DepartedMemberFencer> fencer;
  private final TopicDeltaLog deltaLog;

  private ProcessorApp(
      KafkaStreams streams,
      ReadApi readApi,
      KafkaStreamsMetrics streamsMetrics,
      Optional<DepartedMemberFencer> fencer,
      TopicDeltaLog deltaLog) {
    this.streams = streams;
    this.readApi = readApi;
    this.streamsMetrics = streamsMetrics;
    this.fencer = fencer;
    this.deltaLog = deltaLog;
  }

  /** Starts the processor; the commands topic must exist. */
  public static ProcessorApp start(ProcessorConfig config) throws IOException {
    return start(config, Time.SYSTEM);
  }

  /** Starts the processor, telling {@code restores} how the restoration of its stores goes. */
  public static ProcessorApp start(ProcessorConfig config, StateRestoreListener restores)
      throws IOException {
    return start(config, Time.SYSTEM, restores);
  }

  /**
   * Starts the processor on {@code clock}, which drives its wall-clock punctuations (due timers);
   * scenario runs set it, production uses the system clock.
   */
  public static ProcessorApp start(ProcessorConfig config, Time clock) throws IOException {
    return start(config, clock, null);
  }

  private static ProcessorApp start(
      ProcessorConfig config, Time clock, StateRestoreListener restores) throws IOException {
    SpaceRegistry spaces = SpaceRegistry.fromProperties(config.spaces());
    Properties admin = TopicSetup.adminProps(config.bootstrapServers(), config.kafka());
    int commandPartitions = TopicSetup.partitions(admin, config.topics().commands());
    TopicSetup.checkRecordLimits(admin, config);
    String applicationId =
        Generation.current(admin, config.topics(), config.applicationId())
            .applicationId(config.applicationId());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessorMetrics metrics = new ProcessorMetrics(registry);
    AtomicReference<DocumentLocator> locator =
        new AtomicReference<>(doc -> new DocumentLocation.Migrating("processor is starting"));
    AtomicReference<KafkaStreams> running = new AtomicReference<>();
    StreamHealth health = new StreamHealth(config.healthWindowMillis(), System::currentTimeMillis);
    ReadApi readApi =
        new ReadApi(
            config.httpHost(),
            config.httpPort(),
            doc -> locator.get().locate(doc),
            space -> spaces.find(space).isPresent(),
            config.httpSecret(),
            registry,
            () ->
                health.status(
                    running.get() == null ? KafkaStreams.State.CREATED : running.get().state()));
    HostInfo self = new HostInfo(config.advertisedHost(), readApi.port());
    Properties props = streamsProps(config, self, commandPartitions);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    KafkaStreams streams =
        new KafkaStreams(
            DocTopology.build(config.topics(), spaces, config, commandPartitions, metrics),
            props,
            clock);
    running.set(streams);
    TopicDeltaLog deltaLog =
        new TopicDeltaLog(
            config.topics().deltas(),
            TopicDeltaLog.consumers(admin),
            ReadApi.THREADS,
            TopicDeltaLog.Bounds.DEFAULT);
    locator.set(new StreamsLocator(streams, self, config.limits().historyDeltas(), deltaLog));
    streams.setUncaughtExceptionHandler(
        e -> {
          String thread = Thread.currentThread().getName();
          LOG.error("stream thread {} failed; replacing it", thread, e);
          health.failed(thread, activeTasks(streams, thread), e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    if (restores != null) {
      streams.setGlobalStateRestoreListener(restores);
    }
    Optional<DepartedMemberFencer> fencer =
        config.fenceDepartedTransactions()
            ? Optional.of(DepartedMemberFencer.attach(streams, admin, applicationId, registry))
            : Optional.empty();
    streams.start();
    LOG.info(
        "processor {} started (stream.threads={}): read API on http://{}:{}",
        applicationId,
        props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG),
        self.host(),
        readApi.port());
    return new ProcessorApp(streams, readApi, streamsMetrics, fencer, deltaLog);
  }

  private static String activeTasks(KafkaStreams streams, String thread) {
    try {
      return streams.metadataForLocalThreads().stream()
          .filter(t -> t.threadName().equals(thread))
          .flatMap(t -> t.activeTasks().stream())
          .map(t -> t.taskId().toString())
          .sorted()
          .collect(Collectors.joining(","));
    } catch (RuntimeException e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
  }

  /**
   * The Kafka Streams settings of a processor announcing {@code self} as its read API, for the
   * first generation (start sets the current generation's application id).
   */
  public static Properties streamsProps(ProcessorConfig config, HostInfo self) {
    return streamsProps(config, self, config.partitions());
  }

  /** The same, for a commands topic of {@code commandPartitions}. */
  public static Properties streamsProps(
      ProcessorConfig config, HostInfo self, int commandPartitions) {
    Properties props = new Properties();
    props.putAll(config.kafka());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMillis());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads(commandPartitions));
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbTuning.class);
    if (config.rocksdbMemoryBytes() > 0) {
      props.put(RocksDbTuning.MEMORY_BYTES_CONFIG, config.rocksdbMemoryBytes());
    }
    props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, RECORD_CACHE_BYTES);
    // Each task reads one partition (the commands topic is the only source), so there is nothing
    // to wait for across partitions; idling only costs the per-record readiness check (it formats
    // a log string per call: ~5% of the stream thread at 1 KiB). kafka.max.task.idle.ms wins.
    props.putIfAbsent(
        StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        ProcessorConfig.MAX_RECORD_BYTES);
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        ProcessorConfig.MAX_RECORD_BYTES);
    return props;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public int httpPort() {
    return readApi.port();
  }

  /** Waits until the application is RUNNING, failing with a code if it errors or times out. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state() == KafkaStreams.State.ERROR
          || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new DocstreamException(ErrorCode.STREAMS_FAILED, "processor is " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new DocstreamException(
            ErrorCode.KAFKA_UNREACHABLE, "processor not running after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /** Stops and leaves the group, so that the partitions move to other instances at once. */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(CLOSE_TIMEOUT));
    fencer.ifPresent(DepartedMemberFencer::close);
    streamsMetrics.close();
    readApi.close();
    deltaLog.close();
  }
}
