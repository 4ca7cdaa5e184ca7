package io.docstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docstream.serdes.ConfigReader;
import io.docstream.serdes.DocstreamException;
import io.docstream.serdes.ErrorCode;
import io.docstream.state.RocksDbTuning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorConfigTest {
  @TempDir Path dir;

  @Test
  void shouldLetEnvironmentOverrideTheFile() throws Exception {
    Path file = dir.resolve("p.properties");
    Files.writeString(
        file, "bootstrap.servers=file:9092\nhistory.deltas=5\nkafka.security.protocol=SSL\n");
    ProcessorConfig config =
        ProcessorConfig.from(
            ConfigReader.load(
                file,
                Map.of(
                    "DOCSTREAM_BOOTSTRAP_SERVERS", "env:9092", "DOCSTREAM_HISTORY_DELTAS", "7")));
    assertThat(config.bootstrapServers()).isEqualTo("env:9092");
    assertThat(config.limits().historyDeltas()).isEqualTo(7);
    assertThat(config.kafka()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void shouldStopOnABadValueNamingTheKey() {
    assertThatThrownBy(
            () ->
                ProcessorConfig.from(
                    new ConfigReader(
                        Map.of("bootstrap.servers", "x:1", "max.message.bytes", "lots"))))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIG_INVALID);
              assertThat(e.getMessage()).startsWith("max.message.bytes").contains("lots");
            });
  }

  @Test
  void shouldPassStandbyReplicasToKafkaStreams() {
    ProcessorConfig none =
        ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1")));
    ProcessorConfig one =
        ProcessorConfig.from(
            new ConfigReader(Map.of("bootstrap.servers", "x:1", "num.standby.replicas", "1")));
    HostInfo self = new HostInfo("127.0.0.1", 8081);
    assertThat(ProcessorApp.streamsProps(none, self))
        .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
    assertThat(ProcessorApp.streamsProps(one, self))
        .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
  }

  @Test
  void shouldRunOneStreamThreadUnlessToldAndForAutoOnePerCoreAtMostOnePerPartition() {
    ProcessorConfig none =
        ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1")));
    ProcessorConfig auto =
        ProcessorConfig.from(
            new ConfigReader(Map.of("bootstrap.servers", "x:1", "stream.threads", "auto")));
    ProcessorConfig three =
        ProcessorConfig.from(
            new ConfigReader(Map.of("bootstrap.servers", "x:1", "stream.threads", "3")));
    HostInfo self = new HostInfo("127.0.0.1", 8081);
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(ProcessorApp.streamsProps(none, self, 1000))
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    assertThat(ProcessorApp.streamsProps(auto, self, 1000))
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, cores);
    assertThat(ProcessorApp.streamsProps(auto, self, 1))
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    assertThat(ProcessorApp.streamsProps(three, self, 1))
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3);
    assertThatThrownBy(
            () ->
                ProcessorConfig.from(
                    new ConfigReader(Map.of("bootstrap.servers", "x:1", "stream.threads", "0"))))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIG_INVALID);
              assertThat(e.getMessage())
                  .isEqualTo("stream.threads must be auto or an integer in [1, 64], got '0'");
            });
  }

  @Test
  void shouldNotIdleTasksUnlessTold() {
    HostInfo self = new HostInfo("127.0.0.1", 8081);
    ProcessorConfig defaults =
        ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1")));
    ProcessorConfig told =
        ProcessorConfig.from(
            new ConfigReader(Map.of("bootstrap.servers", "x:1", "kafka.max.task.idle.ms", "0")));
    assertThat(ProcessorApp.streamsProps(defaults, self))
        .containsEntry(
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    assertThat(ProcessorApp.streamsProps(told, self))
        .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
  }

  @Test
  void shouldKeepTheRecordCacheSmallUnlessTold() {
    HostInfo self = new HostInfo("127.0.0.1", 8081);
    ProcessorConfig defaults =
        ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1")));
    ProcessorConfig told =
        ProcessorConfig.from(
            new ConfigReader(
                Map.of("bootstrap.servers", "x:1", "kafka.statestore.cache.max.bytes", "0")));
    assertThat(ProcessorApp.streamsProps(defaults, self))
        .containsEntry(
            StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, ProcessorApp.RECORD_CACHE_BYTES);
    assertThat(ProcessorApp.streamsProps(told, self))
        .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
  }

  @Test
  void shouldPassTheRocksDbMemoryBoundOnlyWhenSet() {
    HostInfo self = new HostInfo("127.0.0.1", 8081);
    ProcessorConfig defaults =
        ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1")));
    ProcessorConfig bounded =
        ProcessorConfig.from(
            new ConfigReader(
                Map.of("bootstrap.servers", "x:1", "rocksdb.memory.bytes", "268435456")));
    assertThat(defaults.rocksdbMemoryBytes()).isZero();
    assertThat(ProcessorApp.streamsProps(defaults, self))
        .doesNotContainKey(RocksDbTuning.MEMORY_BYTES_CONFIG);
    assertThat(ProcessorApp.streamsProps(bounded, self))
        .containsEntry(RocksDbTuning.MEMORY_BYTES_CONFIG, 268_435_456L);
  }

  @Test
  void shouldRejectARocksDbMemoryBoundTooSmallToWork() {
    assertThatThrownBy(
            () ->
                ProcessorConfig.from(
                    new ConfigReader(
                        Map.of("bootstrap.servers", "x:1", "rocksdb.memory.bytes", "1048576"))))
        .isInstanceOf(DocstreamException.class)
        .hasMessageContaining("rocksdb.memory.bytes");
  }

  @Test
  void shouldRequireBootstrapServers() {
    assertThatThrownBy(() -> ProcessorConfig.from(new ConfigReader(Map.of())))
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void shouldReportAnUnreadableFileWithItsCode() {
    assertThatThrownBy(() -> ConfigReader.load(dir.resolve("missing.properties"), Map.of()))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIG_UNREADABLE));
  }

  @Test
  void shouldReadTheReadApiSecretFromTheEnvironmentAndRefuseAShortOne() {
    ProcessorConfig config =
        ProcessorConfig.from(
            ConfigReader.load(
                null,
                Map.of(
                    "DOCSTREAM_BOOTSTRAP_SERVERS",
                    "x:1",
                    "DOCSTREAM_HTTP_SECRET",
                    "a-secret-of-24-characters")));
    assertThat(config.httpSecret()).hasValue("a-secret-of-24-characters");
    assertThat(
            ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1"))).httpSecret())
        .isEmpty();
    assertThatThrownBy(
            () ->
                ProcessorConfig.from(
                    new ConfigReader(Map.of("bootstrap.servers", "x:1", "http.secret", "short"))))
        .isInstanceOf(DocstreamException.class)
        .hasMessageContaining("http.secret");
  }

  @Test
  void shouldSetTheLowLatencyProfilesDocumentedValues() throws Exception {
    ProcessorConfig config =
        ProcessorConfig.from(
            new ConfigReader(Map.of("bootstrap.servers", "x:1", "profile", "low-latency")));
    Properties props = ProcessorApp.streamsProps(config, new HostInfo("127.0.0.1", 8081));

    assertThat(props)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20L)
        .containsEntry(StreamsConfig.POLL_MS_CONFIG, "10")
        .containsEntry(
            StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, ProcessorApp.RECORD_CACHE_BYTES);
    assertThat(new StreamsConfig(props).getLong(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(10L);
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme)
        .as("README.md's profile row lists every setting of the profile")
        .contains("`low-latency`: `commit.interval.ms=20`, `kafka.poll.ms=10` (see");
    assertThat(ProcessorProfile.LOW_LATENCY.settings()).hasSize(2);
  }

  @Test
  void shouldLetAnExplicitKeyWinOverTheProfile() {
    ProcessorConfig config =
        ProcessorConfig.from(
            new ConfigReader(
                Map.of(
                    "bootstrap.servers", "x:1",
                    "profile", "low-latency",
                    "commit.interval.ms", "50",
                    "kafka.poll.ms", "30")));
    Properties props = ProcessorApp.streamsProps(config, new HostInfo("127.0.0.1", 8081));

    assertThat(props)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50L)
        .containsEntry(StreamsConfig.POLL_MS_CONFIG, "30");
  }

  @Test
  void shouldLeaveKafkaStreamsDefaultsAloneWithoutAProfile() {
    ProcessorConfig config =
        ProcessorConfig.from(new ConfigReader(Map.of("bootstrap.servers", "x:1")));
    Properties props = ProcessorApp.streamsProps(config, new HostInfo("127.0.0.1", 8081));

    assertThat(props)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L)
        .doesNotContainKey(StreamsConfig.POLL_MS_CONFIG);
  }

  @Test
  void shouldRejectAnUnknownProfileListingTheKnownOnes() {
    assertThatThrownBy(
            () ->
                ProcessorConfig.from(
                    new ConfigReader(Map.of("bootstrap.servers", "x:1", "profile", "fast"))))
        .isInstanceOfSatisfying(
            DocstreamException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIG_INVALID);
              assertThat(e.getMessage()).contains("profile", "default, low-latency", "'fast'");
            });
  }
}
