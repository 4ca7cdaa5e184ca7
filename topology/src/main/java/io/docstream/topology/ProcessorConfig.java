package io.docstream.topology;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.TopicNames;
import io.docstream.state.DocumentStores;
import io.docstream.state.RocksDbTuning;
import io.docstream.state.StateLimits;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated settings of a processor instance. Built by {@link #from(ConfigReader)}; every key
 * is listed in README.md, "Operate it".
 *
 * @param kafka client settings passed through to Kafka Streams (keys {@code kafka.*}, prefix
 *     removed), e.g. security settings, over those of the {@link ProcessorProfile}
 * @param spaces space settings ({@code spaces.*}, prefix kept)
 * @param skipRecords offsets of the commands topic answered with RECORD_SKIPPED unprocessed
 * @param healthWindowMillis /healthz is unhealthy while stream threads failed twice within this
 * @param rejectionLogLinesPerSecond WARN lines per second and error code for rejected records
 * @param httpSecret the secret every read-API {@code /docs} request must carry, if set
 * @param standbyReplicas Kafka Streams' {@code num.standby.replicas}: warm copies of each task's
 *     state on other instances, so a survivor takes over a dead instance's partitions without
 *     restoring them from the changelog
 * @param rocksdbMemoryBytes off-heap bytes all RocksDB stores of the instance share (block cache
 *     with the memtables charged to it, see {@link RocksDbTuning}), or 0 for Kafka Streams' own
 *     per-store caches and memtables
 * @param streamThreads stream threads, or {@link #AUTO_STREAM_THREADS} for {@link
 *     #autoStreamThreads}
 * @param fenceDepartedTransactions at each rebalance, fence the open transactions of instances that
 *     left the group, so that their readers and successors need not wait for their timeout
 */
public record ProcessorConfig(
    String bootstrapServers,
    String applicationId,
    TopicNames topics,
    int partitions,
    short replicationFactor,
    Path stateDir,
    String httpHost,
    int httpPort,
    String advertisedHost,
    Optional<String> httpSecret,
    int maxMessageBytes,
    int maxDeltaBytes,
    StateLimits limits,
    long timerIntervalMillis,
    long commitIntervalMillis,
    int streamThreads,
    int standbyReplicas,
    long rocksdbMemoryBytes,
    SkipRecords skipRecords,
    long healthWindowMillis,
    int rejectionLogLinesPerSecond,
    boolean fenceDepartedTransactions,
    Map<String, String> kafka,
    Map<String, String> spaces) {

  /**
   * The Streams producer's max.request.size and the record limit of the topics docstream creates.
   */
  public static final int MAX_RECORD_BYTES = DocumentStores.MAX_CHANGELOG_RECORD_BYTES;

  /** The least {@code rocksdb.memory.bytes} other than 0: below it memtables flush constantly. */
  public static final long MIN_ROCKSDB_MEMORY_BYTES = 32L * 1024 * 1024;

  /** {@code stream.threads=auto}: see {@link #autoStreamThreads}. */
  private static final int AUTO_STREAM_THREADS = 0;

  private static final int MIN_SECRET_CHARS = 16;
  private static final String KAFKA_PREFIX = "kafka.";

  public static ProcessorConfig from(ConfigReader c) {
    long mib = 1024L * 1024;
    Map<String, String> spaces = new TreeMap<>();
    c.withPrefix("spaces.").forEach((k, v) -> spaces.put("spaces." + k, v));
    String httpHost = c.string("http.host", "127.0.0.1");
    ProcessorProfile profile = ProcessorProfile.from(c);
    return new ProcessorConfig(
        c.required("bootstrap.servers"),
        c.string("application.id", "docstream"),
        new TopicNames(c.string("topic.prefix", "docstream")),
        c.intValue("topic.partitions", 6, 1, 10_000),
        (short) c.intValue("topic.replication.factor", 1, 1, 16),
        Path.of(c.string("state.dir", "data/state")),
        httpHost,
        c.intValue("http.port", 8081, 0, 65_535),
        c.string("http.advertised.host", httpHost),
        secret(c, "http.secret"),
        c.intValue("max.message.bytes", 256 * 1024, 1024, MAX_RECORD_BYTES / 2),
        c.intValue("max.delta.bytes", (int) mib, 1024, MAX_RECORD_BYTES / 2),
        new StateLimits(
            c.intValue("history.deltas", 1000, 1, 1_000_000),
            c.longValue("dedupe.window.messages", 10_000, 1, 100_000_000),
            c.longValue("dedupe.window.ms", 600_000, 0, 365L * 24 * 3600 * 1000),
            c.longValue("cache.bytes", 64 * mib, 0, 1L << 40),
            c.longValue("max.document.bytes", 16 * mib, 1024, 1L << 40)),
        c.longValue("timer.interval.ms", 250, 10, 60_000),
        c.longValue(
            "commit.interval.ms", Long.parseLong(profile.setting("commit.interval.ms")), 1, 60_000),
        streamThreads(c),
        c.intValue("num.standby.replicas", 0, 0, 16),
        rocksdbMemoryBytes(c),
        SkipRecords.parse("skip.records", c.string("skip.records", "")),
        c.longValue("health.window.ms", 120_000, 100, 3_600_000),
        c.intValue("log.rejections.per.second", 10, 1, 100_000),
        flag(c, "fence.departed.transactions", true),
        kafka(c, profile),
        spaces);
  }

  /** The profile's {@code kafka.*} settings under the configuration's own. */
  private static Map<String, String> kafka(ConfigReader c, ProcessorProfile profile) {
    Map<String, String> kafka = new TreeMap<>();
    profile
        .settings()
        .forEach(
            (k, v) -> {
              if (k.startsWith(KAFKA_PREFIX)) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), v);
              }
            });
    kafka.putAll(c.withPrefix(KAFKA_PREFIX));
    return kafka;
  }

  /**
   * The stream threads to run against a commands topic of {@code partitions}: the configured count,
   * or for {@code auto}, {@link #autoStreamThreads}.
   */
  public int streamThreads(int partitions) {
    return streamThreads == AUTO_STREAM_THREADS ? autoStreamThreads(partitions) : streamThreads;
  }

  /**
   * One stream thread per available processor, at most one per partition: a thread without a task
   * would only hold a consumer and a transactional producer.
   */
  private static int autoStreamThreads(int partitions) {
    return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), partitions));
  }

  private static int streamThreads(ConfigReader c) {
    String key = "stream.threads";
    String value = c.string(key, "1");
    if (value.equals("auto")) {
      return AUTO_STREAM_THREADS;
    }
    try {
      return c.intValue(key, 1, 1, 64);
    } catch (DocstreamException e) {
      throw ConfigReader.invalid(key, "must be auto or an integer in [1, 64], got '" + value + "'");
    }
  }

  private static long rocksdbMemoryBytes(ConfigReader c) {
    String key = "rocksdb.memory.bytes";
    long bytes = c.longValue(key, 0, 0, 1L << 40);
    if (bytes != 0 && bytes < MIN_ROCKSDB_MEMORY_BYTES) {
      throw ConfigReader.invalid(
          key, "must be 0 (unbounded) or at least " + MIN_ROCKSDB_MEMORY_BYTES + ", got " + bytes);
    }
    return bytes;
  }

  private static boolean flag(ConfigReader c, String key, boolean fallback) {
    String value = c.string(key, Boolean.toString(fallback));
    if (!value.equals("true") && !value.equals("false")) {
      throw ConfigReader.invalid(key, "must be true or false");
    }
    return value.equals("true");
  }

  private static Optional<String> secret(ConfigReader c, String key) {
    Optional<String> secret = Optional.ofNullable(c.string(key, null));
    if (secret.isPresent() && secret.get().length() < MIN_SECRET_CHARS) {
      throw ConfigReader.invalid(key, "needs at least " + MIN_SECRET_CHARS + " characters");
    }
    return secret;
  }
}
