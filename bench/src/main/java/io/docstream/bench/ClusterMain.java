package io.docstream.bench;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaCluster;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput on three brokers (the {@link KafkaCluster} fixture, replication factor 3, min ISR 2)
 * with one and with two processor instances of one application, alternating in one session: one
 * instance, a second joins, it leaves, it joins again, ... Each phase is a saturating warm-up
 * (which covers the rebalance and the new JVM's JIT) and a measured window. Writes {@code
 * bench/results/<date>-cluster.md}. Never part of the tests.
 */
public final class ClusterMain {
  private static final Logger log = LoggerFactory.getLogger(ClusterMain.class);
  private static final int BROKERS = 3;
  private static final int PARTITIONS = 6;
  private static final int HEAP_MEGABYTES = 768;
  private static final int BROKER_HEAP_MEGABYTES = 512;
  private static final int DOCUMENTS = 600;
  private static final int DOC_BYTES = 1024;
  private static final long MAX_BACKLOG = 20_000;
  private static final Duration FIRST_WARM_UP = Duration.ofSeconds(40);
  private static final Duration JOIN_WARM_UP = Duration.ofSeconds(40);
  private static final Duration LEAVE_WARM_UP = Duration.ofSeconds(20);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

  private ClusterMain() {}

  /** Usage: {@code <work> <results file> <pairs> <window s>}. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path results = Path.of(args[1]);
    int pairs = Integer.parseInt(args[2]);
    Duration window = Duration.ofSeconds(Long.parseLong(args[3]));
    Conditions machine = Conditions.now();
    List<String> rows = new ArrayList<>();
    try (KafkaCluster cluster =
        KafkaCluster.start(
            BrokerOptions.inDirectory(work.resolve("cluster"))
                .withHeapMegabytes(BROKER_HEAP_MEGABYTES)
                .withFullJit(true)
                .withStartTimeout(Duration.ofSeconds(180)),
            BROKERS)) {
      String bootstrap = cluster.bootstrapServers();
      TopicNames topics = new TopicNames("cl");
      TopicSetup.ensure(
          TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) BROKERS);
      List<ChildJvm> instances = new ArrayList<>();
      try (OutputProbe probe =
              new OutputProbe(bootstrap, topics.deltas(), List.of(topics.rejections()));
          LoadGenerator generator = new LoadGenerator(bootstrap)) {
        instances.add(start(bootstrap, topics, work, 0));
        Workload docs = new Workload(topics.commands(), "c", Workload.docs("cl", DOCUMENTS));
        Procedure.awaitEndToEnd(generator, probe, docs);
        generator.sendAll(docs.fill(DOC_BYTES));
        drain(generator, probe);
        Messages updates = new UniformUpdates(topics.commands(), "u", docs.docs());
        for (int pair = 1; pair <= pairs; pair++) {
          Duration oneWarmUp = pair == 1 ? FIRST_WARM_UP : LEAVE_WARM_UP;
          rows.add(row(1, pair, measure(generator, probe, updates, instances, oneWarmUp, window)));
          instances.add(start(bootstrap, topics, work, pair));
          rows.add(
              row(2, pair, measure(generator, probe, updates, instances, JOIN_WARM_UP, window)));
          instances.remove(instances.size() - 1).close();
        }
      } finally {
        for (ChildJvm instance : instances) {
          instance.close();
        }
      }
    }
    Files.writeString(
        results,
        report(machine, Conditions.loadAverage(), pairs, window, rows),
        StandardCharsets.UTF_8);
    System.out.println(Files.readString(results));
  }

  private static String row(int instances, int pair, String cells) {
    String row = instances + " | " + pair + " | " + cells;
    log.info("result: {}", row);
    return row;
  }

  private static ChildJvm start(String bootstrap, TopicNames topics, Path work, int n)
      throws Exception {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", "cl");
    p.setProperty("topic.prefix", topics.prefix());
    p.setProperty("topic.partitions", Integer.toString(PARTITIONS));
    p.setProperty("topic.replication.factor", Integer.toString(BROKERS));
    p.setProperty("state.dir", work.resolve("state-" + n).toAbsolutePath().toString());
    p.setProperty("http.port", Integer.toString(Ports.free()));
    p.setProperty("commit.interval.ms", "100");
    p.setProperty("kafka.session.timeout.ms", "6000");
    p.setProperty("kafka.heartbeat.interval.ms", "1500");
    Path dir = work.resolve("processor-" + n);
    return BenchProcessor.start(
        System.getProperty("java.class.path"),
        HEAP_MEGABYTES,
        p,
        dir,
        work.resolve("processor-" + n + ".log"));
  }

  /** Warm-up, then a window: "msg/s | CPU us per message (processors) | machine busy % | load". */
  private static String measure(
      LoadGenerator generator,
      OutputProbe probe,
      Messages updates,
      List<ChildJvm> instances,
      Duration warmUp,
      Duration window)
      throws Exception {
    String load = Conditions.loadAverage();
    generator.saturating(updates, warmUp, probe::received, MAX_BACKLOG);
    long startCount = probe.received();
    long startCpu = cpuMillis(instances);
    MachineCpu machine = MachineCpu.now();
    long startNanos = System.nanoTime();
    generator.saturating(updates, window, probe::received, MAX_BACKLOG);
    long count = probe.received() - startCount;
    double rate = count * 1e9 / (System.nanoTime() - startNanos);
    double busy = MachineCpu.now().busySince(machine);
    double cpuMicros = (cpuMillis(instances) - startCpu) * 1000.0 / count;
    drain(generator, probe);
    for (ChildJvm instance : instances) {
      instance.requireAlive();
    }
    return String.format("%.0f | %.0f | %.0f | %s", rate, cpuMicros, busy * 100, load);
  }

  private static long cpuMillis(List<ChildJvm> instances) {
    return instances.stream().mapToLong(ChildJvm::cpuMillis).sum();
  }

  private static void drain(LoadGenerator generator, OutputProbe probe)
      throws InterruptedException {
    if (!probe.awaitReceived(generator.sent(), DRAIN_TIMEOUT)) {
      throw new IllegalStateException("backlog not drained within " + DRAIN_TIMEOUT);
    }
  }

  private static String report(
      Conditions machine, String loadEnd, int pairs, Duration window, List<String> rows) {
    StringBuilder md = new StringBuilder();
    md.append("# Cluster (bench/cluster.sh), ")
        .append(java.time.LocalDateTime.now().withNano(0))
        .append(" UTC\n\n## Conditions\n\n");
    md.append(
        String.format(
            "- Machine: %d cores (%s), %d MiB RAM, shared with whatever else runs (see the load"
                + " average)\n- Load average (1/5/15 min) at start %s, at end %s; each row gives the"
                + " load when its warm-up started\n- %s, Kafka %s; %d KRaft brokers (KafkaCluster,"
                + " each its own JVM, -Xmx%dm, full JIT), loopback; topics and changelogs with"
                + " replication factor 3, min.insync.replicas 2\n- Processors: one application,"
                + " each instance its own JVM, -Xms/-Xmx%dm, 1 stream thread, exactly_once_v2,"
                + " commit.interval.ms=100; %d partitions\n- %d documents pre-filled to 1 KiB;"
                + " one-field updates to documents drawn uniformly at random, saturating (at most"
                + " %d in flight); phases alternate 1, 2, 1, 2 instances (%d pairs): warm-up %d s"
                + " for the first phase, %d s after an instance joins (rebalance, cold JIT), %d s"
                + " after it leaves, then a %d s window. CPU per message is both processors' JVMs;"
                + " machine busy is all cores, every process\n\n",
            machine.cores(),
            machine.cpuModel(),
            machine.memoryMegabytes(),
            machine.load(),
            loadEnd,
            machine.java(),
            machine.kafka(),
            BROKERS,
            BROKER_HEAP_MEGABYTES,
            HEAP_MEGABYTES,
            PARTITIONS,
            DOCUMENTS,
            MAX_BACKLOG,
            pairs,
            FIRST_WARM_UP.toSeconds(),
            JOIN_WARM_UP.toSeconds(),
            LEAVE_WARM_UP.toSeconds(),
            window.toSeconds()));
    md.append(
        "| instances | pair | msg/s | processor CPU us/msg | machine busy % | load at start |\n");
    md.append("|---|---|---|---|---|---|\n");
    rows.forEach(r -> md.append("| ").append(r).append(" |\n"));
    return md.toString();
  }
}
