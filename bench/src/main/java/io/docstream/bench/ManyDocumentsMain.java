package io.docstream.bench;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many documents on one processor: 24 hot documents and then {@code documents} documents, all
 * pre-filled to 1 KiB, updated uniformly at random while saturated; the processor's live heap after
 * a full GC and RSS, empty and after; then (when the setting asks) kill -9, wipe the state
 * directory, restart and time the restore until a message to a document of every partition has its
 * delta. Each setting ({@code label=...,cp=<build root>,restore=true,<processor key>=<value>...})
 * runs {@code runs} times; writes {@code bench/results/<date>-many-documents.md}. Never part of the
 * tests.
 */
public final class ManyDocumentsMain {
  private static final Logger log = LoggerFactory.getLogger(ManyDocumentsMain.class);
  static final int PARTITIONS = 6;
  static final int HEAP_MEGABYTES = 1024;
  private static final int DOC_BYTES = 1024;
  private static final int HOT_DOCUMENTS = 24;
  private static final long MAX_BACKLOG = 20_000;
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Duration FILL_TIMEOUT = Duration.ofSeconds(300);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(300);
  private static final long PROBE_INTERVAL_MS = 50;
  private static final double MB = 1e6;

  private final Path work;
  private final int documents;
  private final Duration window;

  private ManyDocumentsMain(Path work, int documents, Duration window) {
    this.work = work;
    this.documents = documents;
    this.window = window;
  }

  /** Usage: {@code <work> <results file> <runs> <documents> <window s> <setting>...}. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path results = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    ManyDocumentsMain bench =
        new ManyDocumentsMain(
            work, Integer.parseInt(args[3]), Duration.ofSeconds(Long.parseLong(args[4])));
    List<String> settings = List.of(args).subList(5, args.length);
    Conditions machine = Conditions.now();
    List<String> rows = new ArrayList<>();
    try (KafkaBroker broker =
        KafkaBroker.start(
            BrokerOptions.inDirectory(work.resolve("kafka"))
                .withHeapMegabytes(1024)
                .withFullJit(true)
                .withStartTimeout(Duration.ofSeconds(180)))) {
      for (int run = 1; run <= runs; run++) {
        for (String setting : rotated(settings, run - 1)) {
          String load = Conditions.loadAverage();
          BenchSetting parsed = BenchSetting.parse(setting);
          String row = bench.run(broker.bootstrapServers(), parsed);
          rows.add(String.format("%s | %d | %s | %s", parsed.label(), run, row, load));
          log.info("result: {}", rows.get(rows.size() - 1));
        }
      }
    }
    Files.writeString(
        results,
        report(machine, Conditions.loadAverage(), runs, bench.documents, bench.window, rows),
        StandardCharsets.UTF_8);
    System.out.println(Files.readString(results));
  }

  /**
   * The settings in the order of run {@code shift} (from 0): each run starts one setting later. The
   * broker and the generator's JVM warm up along an invocation, and the first setting after their
   * start ran 15-25% slower than the same build later in it (2026-12-07).
   */
  private static List<String> rotated(List<String> settings, int shift) {
    List<String> out = new ArrayList<>(settings);
    Collections.rotate(out, -shift);
    return out;
  }

  private String run(String bootstrap, BenchSetting setting) throws Exception {
    String prefix = "md-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    Path dir = work.resolve(prefix);
    Path state = dir.resolve("state");
    Properties config = config(bootstrap, prefix, state, setting);
    ChildJvm jvm =
        BenchProcessor.start(
            setting.classPath(), HEAP_MEGABYTES, config, state, dir.resolve("processor.log"));
    try (OutputProbe probe =
            new OutputProbe(bootstrap, topics.deltas(), List.of(topics.rejections()));
        LoadGenerator generator = new LoadGenerator(bootstrap)) {
      Workload hot =
          new Workload(topics.commands(), "h", Workload.docs(prefix + "-hot", HOT_DOCUMENTS));
      Procedure.awaitEndToEnd(generator, probe, hot);
      JvmMemory empty = JvmMemory.of(jvm.pid());
      fill(generator, probe, hot);
      Workload many = new Workload(topics.commands(), "m", Workload.docs(prefix + "-m", documents));
      long fillStart = System.nanoTime();
      fill(generator, probe, many);
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      Messages manyUpdates = new UniformUpdates(topics.commands(), "m", many.docs());
      Messages hotUpdates = new UniformUpdates(topics.commands(), "h", hot.docs());
      // A first round on both workloads, unmeasured: the JIT is still compiling after the fill
      // (C2 took most of a core through the first windows), and what it compiled first would
      // favour the window that runs second.
      saturated(generator, probe, manyUpdates, jvm, pid -> null);
      saturated(generator, probe, hotUpdates, jvm, pid -> null);
      double[] manyRate =
          saturated(generator, probe, manyUpdates, jvm, profile(setting, dir, "many"));
      double[] hotRate = saturated(generator, probe, hotUpdates, jvm, profile(setting, dir, "hot"));
      JvmMemory after = JvmMemory.of(jvm.pid());
      long cachedRoots = roots(after) - roots(empty);
      String cells =
          String.format(
              "%.0f | %.0f | %.2f | %.0f / %.0f | %.0f | %.0f / %.0f | %.0f | %d",
              manyRate[0],
              hotRate[0],
              manyRate[0] / hotRate[0],
              manyRate[1],
              hotRate[1],
              fillSeconds,
              empty.liveHeapBytes() / MB,
              after.liveHeapBytes() / MB,
              after.rssBytes() / MB,
              cachedRoots);
      if (!setting.restore()) {
        return cells + " | - | - | - | - | -";
      }
      jvm.killHard();
      return cells + " | " + restore(bootstrap, prefix, topics, setting, config, dir, state);
    } finally {
      jvm.close();
    }
  }

  private static Properties config(
      String bootstrap, String prefix, Path state, BenchSetting setting) throws Exception {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", prefix);
    p.setProperty("topic.prefix", prefix);
    p.setProperty("topic.partitions", Integer.toString(PARTITIONS));
    p.setProperty("state.dir", state.toAbsolutePath().toString());
    p.setProperty("http.port", Integer.toString(Ports.free()));
    p.setProperty("commit.interval.ms", "100");
    p.setProperty("kafka.session.timeout.ms", "6000"); // a restart does not wait 45 s for the dead
    p.setProperty("kafka.heartbeat.interval.ms", "1500");
    setting.processor().forEach(p::setProperty);
    return p;
  }

  private static void fill(LoadGenerator generator, OutputProbe probe, Workload workload)
      throws InterruptedException {
    generator.sendAll(workload.fill(DOC_BYTES));
    if (!probe.awaitReceived(generator.sent(), FILL_TIMEOUT)) {
      throw new IllegalStateException("fill not applied within " + FILL_TIMEOUT);
    }
  }

  /** With {@code profile=true}, where the window's profile goes (in the kept work directory). */
  private static WindowProfiler profile(BenchSetting setting, Path dir, String window) {
    if (!setting.profile()) {
      return pid -> null;
    }
    return pid -> WindowProfile.start(pid, dir.resolve("profile"), setting.label() + "-" + window);
  }

  private interface WindowProfiler {
    WindowProfile start(long pid) throws Exception;
  }

  /** Warm-up, then a saturated window: {messages/s, processor CPU microseconds per message}. */
  private double[] saturated(
      LoadGenerator generator,
      OutputProbe probe,
      Messages messages,
      ChildJvm jvm,
      WindowProfiler profiler)
      throws Exception {
    generator.saturating(messages, WARM_UP, probe::received, MAX_BACKLOG);
    WindowProfile profile = profiler.start(jvm.pid());
    long startCount = probe.received();
    long startCpu = jvm.cpuMillis();
    long startNanos = System.nanoTime();
    generator.saturating(messages, window, probe::received, MAX_BACKLOG);
    long count = probe.received() - startCount;
    double rate = count * 1e9 / (System.nanoTime() - startNanos);
    double cpuMicros = (jvm.cpuMillis() - startCpu) * 1000.0 / count;
    if (profile != null) {
      profile.stop();
      log.info("window profile: {} messages", count);
    }
    if (!probe.awaitReceived(generator.sent(), DRAIN_TIMEOUT)) {
      throw new IllegalStateException("backlog not drained within " + DRAIN_TIMEOUT);
    }
    jvm.requireAlive();
    return new double[] {rate, cpuMicros};
  }

  /** Materialised document roots and nested objects: live Jackson object nodes. */
  private static long roots(JvmMemory memory) {
    JvmMemory.Usage usage = memory.classes().get("com.fasterxml.jackson.databind.node.ObjectNode");
    return usage == null ? 0 : usage.instances();
  }

  /** Wipes the state directory of the killed processor, restarts it and times the restore. */
  private String restore(
      String bootstrap,
      String prefix,
      TopicNames topics,
      BenchSetting setting,
      Properties config,
      Path dir,
      Path state)
      throws Exception {
    long changelogBytes = changelogBytes(bootstrap, prefix);
    Utils.delete(state.toFile());
    List<String> probes = onePerPartition(prefix + "-probe");
    long startEpochMs = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Path logFile = dir.resolve("processor-restart.log");
    ChildJvm jvm =
        BenchProcessor.start(setting.classPath(), HEAP_MEGABYTES, config, state, logFile);
    AtomicBoolean sending = new AtomicBoolean(true);
    try (LoadGenerator generator = new LoadGenerator(bootstrap);
        DeltaClock clock =
            new DeltaClock(bootstrap, topics.deltas(), Set.copyOf(probes), startEpochMs)) {
      Thread sender =
          new Thread(
              () -> {
                for (long i = 0; sending.get(); i++) {
                  String doc = probes.get((int) (i % probes.size()));
                  byte[] value =
                      Json.bytes(Command.of("probe-" + i, Json.object().put("probe", i)));
                  generator.sendAll(List.of(new ProducerRecord<>(topics.commands(), doc, value)));
                  sleepQuietly(PROBE_INTERVAL_MS / probes.size());
                }
              },
              "restore-probe");
      sender.start();
      boolean ready = clock.awaitAll(RESTORE_TIMEOUT);
      sending.set(false);
      sender.join();
      double first = (clock.firstNanos() - startNanos) / 1e9;
      double all = (clock.lastNanos() - startNanos) / 1e9;
      long restored = BenchProcessor.restoredRecords(logFile);
      double restoreSeconds = BenchProcessor.restoreSeconds(logFile);
      return String.format(
          "%.0f / %.0f | %d | %.1f | %.1f / %s | %.0f",
          changelogBytes / MB,
          BenchProcessor.directoryBytes(state) / MB,
          restored,
          restoreSeconds,
          first,
          ready ? String.format("%.1f", all) : "> " + RESTORE_TIMEOUT.toSeconds(),
          restoreSeconds / (changelogBytes / (double) (1L << 30)));
    } finally {
      sending.set(false);
      jvm.close();
    }
  }

  /** One document name per partition of the commands topic (the default partitioner's). */
  static List<String> onePerPartition(String prefix) {
    String[] docs = new String[PARTITIONS];
    int found = 0;
    for (int i = 0; found < PARTITIONS; i++) {
      String doc = "json/" + prefix + "-" + i;
      int p = Utils.toPositive(Utils.murmur2(doc.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (docs[p] == null) {
        docs[p] = doc;
        found++;
      }
    }
    return List.of(docs);
  }

  /** Bytes on the brokers of the application's changelog topics (every partition, one replica). */
  static long changelogBytes(String bootstrap, String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<Integer> brokers =
          admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
      long bytes = 0;
      for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (var logDir : dirs.values()) {
          for (var replica : logDir.replicaInfos().entrySet()) {
            String topic = replica.getKey().topic();
            if (topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")) {
              bytes += replica.getValue().size();
            }
          }
        }
      }
      return bytes;
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String report(
      Conditions machine,
      String loadEnd,
      int runs,
      int documents,
      Duration window,
      List<String> rows) {
    StringBuilder md = new StringBuilder();
    md.append("# Many documents (bench/many-documents.sh), ")
        .append(java.time.LocalDateTime.now().withNano(0))
        .append(" UTC\n\n## Conditions\n\n");
    md.append(
        String.format(
            "- Machine: %d cores (%s), %d MiB RAM, **shared** with other helpers' builds and"
                + " benches\n- Load average (1/5/15 min) at start %s, at end %s; each row gives the"
                + " load when it started\n- %s, Kafka %s; one broker (own JVM, -Xmx1g, full JIT),"
                + " loopback\n- Processor: own JVM, -Xms/-Xmx%dm, 1 stream thread,"
                + " exactly_once_v2, commit.interval.ms=100, %d partitions\n- %d runs per setting,"
                + " each run starting one setting later than the one before; %d hot documents,"
                + " then %d documents, each pre-filled to 1 KiB (one 1004-char field); updates"
                + " are one-field merge patches to documents drawn uniformly at random, saturating"
                + " (at most %d in flight); an unmeasured round on the many"
                + " documents and then on the 24 (the JIT is still compiling after the fill), then"
                + " the measured round in the same order, each workload a %d s warm-up and a %d s"
                + " window. Restore: kill -9, state directory deleted, restart; restore s is"
                + " from the first changelog end-offset line to the last 'Finished restoring' line"
                + " of the processor log; first / all partitions is from the restart to the first"
                + " delta of a probe message to a document of the first / every partition\n\n",
            machine.cores(),
            machine.cpuModel(),
            machine.memoryMegabytes(),
            machine.load(),
            loadEnd,
            machine.java(),
            machine.kafka(),
            HEAP_MEGABYTES,
            PARTITIONS,
            runs,
            HOT_DOCUMENTS,
            documents,
            MAX_BACKLOG,
            WARM_UP.toSeconds(),
            window.toSeconds()));
    md.append(
        "| setting | run | many docs msg/s | 24 docs msg/s | ratio | CPU us/msg many / 24 | fill s |"
            + " live heap MB empty / after | RSS MB after | cached object nodes | changelog MB /"
            + " state dir MB after restore | records restored | restore s (log) | first / all"
            + " partitions answer s | restore s per GiB of changelog | load at start |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    rows.forEach(r -> md.append("| ").append(r).append(" |\n"));
    return md.toString();
  }
}
