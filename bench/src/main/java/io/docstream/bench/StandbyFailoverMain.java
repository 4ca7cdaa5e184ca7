package io.docstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.serdes.Command;
import io.docstream.serdes.Json;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover time of one partition holding ~100 MB of state: two processor JVMs on one broker, all
 * the state on partition 0's documents; kill -9 of the instance whose active tasks include 0_0
 * while messages flow to partition 0, then the time until the first delta of a message sent after
 * the kill. Runs each setting in {@code args}
 * ("standby=N[,session=MS][,txn=MS][,broker.key=value][,processor key=value...]", each on a broker
 * of its own) {@code runs} times and writes the results file named in {@code args}. Never part of
 * the tests.
 */
public final class StandbyFailoverMain {
  private static final Logger log = LoggerFactory.getLogger(StandbyFailoverMain.class);
  private static final int PARTITIONS = 2;
  private static final int DOC_KIB = 100;
  private static final int FIELD_CHARS = 1000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration FILL_TIMEOUT = Duration.ofSeconds(240);
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(120);
  private static final long PROBE_INTERVAL_MS = 20;
  private static final long LOAD_BEFORE_KILL_MS = 2_000;
  private static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(10);
  private static final String BROKER_PREFIX = "broker.";
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  /** The processor's logging plus Kafka Streams' task assignments, which name the owner of 0_0. */
  private static final String LOGBACK =
      """
      <configuration>
        <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
          <target>System.err</target>
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.kafka" level="WARN"/>
        <logger name="org.apache.kafka.streams.processor.internals.TaskManager" level="INFO"/>
        <logger name="org.apache.kafka.streams.processor.internals.StoreChangelogReader"
            level="INFO"/>
        <logger name="io.docstream" level="INFO"/>
        <root level="WARN"><appender-ref ref="STDERR"/></root>
      </configuration>
      """;

  private static final String RESTORED = "with a total number of ";
  private static final String FENCED = "fenced transactional ids";

  private final Path work;
  private final int documents;
  private final long standbySettleMs;

  private StandbyFailoverMain(Path work, int documents, long standbySettleMs) {
    this.work = work;
    this.documents = documents;
    this.standbySettleMs = standbySettleMs;
  }

  /** Usage: {@code <work dir> <results file> <runs> <documents> <setting>...}. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path results = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    int documents = Integer.parseInt(args[3]);
    List<String> settings = List.of(args).subList(4, args.length);
    String loadStart = Conditions.loadAverage();
    Conditions machine = Conditions.now();
    List<String> rows = new ArrayList<>();
    StandbyFailoverMain bench = new StandbyFailoverMain(work, documents, 15_000);
    for (int s = 0; s < settings.size(); s++) {
      String setting = settings.get(s);
      try (KafkaBroker broker =
          KafkaBroker.start(brokerOptions(work.resolve("kafka-" + s), setting))) {
        for (int run = 1; run <= runs; run++) {
          rows.add(setting + " | " + run + " | " + bench.run(broker.bootstrapServers(), setting));
          log.info("result: {}", rows.get(rows.size() - 1));
        }
      }
    }
    write(results, machine, loadStart, Conditions.loadAverage(), runs, documents, rows);
  }

  /**
   * The broker of one setting: its {@code broker.*} parts, and a {@code
   * group.min.session.timeout.ms} no higher than the setting's session timeout (the broker refuses
   * a member asking for less).
   */
  private static BrokerOptions brokerOptions(Path dir, String setting) {
    BrokerOptions options =
        BrokerOptions.inDirectory(dir).withHeapMegabytes(1024).withStartTimeout(START_TIMEOUT);
    for (String part : setting.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv[0].equals("session")) {
        options = options.withSetting("group.min.session.timeout.ms", kv[1]);
      } else if (kv[0].equals("txn")) {
        options =
            options.withSetting(
                "transaction.abort.timed.out.transaction.cleanup.interval.ms",
                Long.toString(Long.parseLong(kv[1]) / 4));
      } else if (kv[0].startsWith(BROKER_PREFIX)) {
        options = options.withSetting(kv[0].substring(BROKER_PREFIX.length()), kv[1]);
      }
    }
    return options;
  }

  /** One run: fill, settle, kill the owner of 0_0, time the first delta; returns table cells. */
  private String run(String bootstrap, String setting) throws Exception {
    String prefix = "sf-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = new TopicNames(prefix);
    TopicSetup.ensure(TopicSetup.adminProps(bootstrap, Map.of()), topics, PARTITIONS, (short) 1);
    Path dir = work.resolve(prefix);
    List<String> docs = partitionZeroDocs(documents + 1);
    String probeDoc = docs.remove(documents);
    List<ChildJvm> processors = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
        DeltaWatch watch = new DeltaWatch(bootstrap, topics.deltas(), probeDoc)) {
      for (int i = 0; i < 2; i++) {
        Path logFile = dir.resolve("processor-" + i + ".log");
        logs.add(logFile);
        processors.add(startProcessor(bootstrap, prefix, dir.resolve("p" + i), setting, logFile));
      }
      awaitOwner(logs, START_TIMEOUT);
      long fillStart = System.nanoTime();
      for (int d = 0; d < docs.size(); d++) {
        producer.send(
            new ProducerRecord<>(
                topics.commands(), docs.get(d), Json.bytes(Command.of("fill-" + d, fill(d)))));
      }
      producer.send(probe(topics, probeDoc, "fill-probe"));
      producer.flush();
      if (!watch.awaitDeltaAfter(0, FILL_TIMEOUT)) {
        throw new IllegalStateException("fill not applied in " + FILL_TIMEOUT);
      }
      long fillMs = (System.nanoTime() - fillStart) / 1_000_000;
      Thread.sleep(standbySettleMs);
      int owner = awaitOwner(logs, Duration.ofSeconds(30));
      long changelogBytes = changelogBytes(bootstrap, prefix);
      Path survivorLog = logs.get(1 - owner);
      long restoredBefore = restoredRecords(survivorLog);
      AtomicBoolean sending = new AtomicBoolean(true);
      Thread sender =
          new Thread(
              () -> {
                for (int i = 0; sending.get(); i++) {
                  producer.send(probe(topics, probeDoc, "load-" + i));
                  sleepQuietly(PROBE_INTERVAL_MS);
                }
              });
      sender.start();
      Thread.sleep(LOAD_BEFORE_KILL_MS);
      boolean open = awaitOpenTransaction(bootstrap, prefix);
      long killEpochMs = System.currentTimeMillis();
      long killNanos = System.nanoTime();
      processors.get(owner).killHard();
      boolean delta = watch.awaitDeltaAfter(killEpochMs, FAILOVER_TIMEOUT);
      long failoverMs = (System.nanoTime() - killNanos) / 1_000_000;
      sending.set(false);
      sender.join();
      return String.format(
          "%s | %s | %s | %s | %d | %.1f | %d",
          open ? "yes" : "not seen",
          delta ? Long.toString(failoverMs) : "> " + FAILOVER_TIMEOUT.toMillis(),
          loggedAfter(survivorLog, killEpochMs, StandbyFailoverMain::assignsTaskZero),
          loggedAfter(survivorLog, killEpochMs, line -> line.contains(FENCED)),
          fillMs,
          changelogBytes / 1e6,
          restoredRecords(survivorLog) - restoredBefore);
    } finally {
      for (ChildJvm processor : processors) {
        processor.close();
      }
    }
  }

  /**
   * Waits (up to {@link #OPEN_TRANSACTION_WAIT}) until the broker lists an ongoing transaction of
   * the application: only the owner of 0_0 writes (every message goes to partition 0), so killing
   * right after finds its transaction open, the case a reader waits longest for. Records the
   * Streams producer still buffers (linger) are not on the broker, so without this wait a kill
   * often finds no transaction there.
   */
  private static boolean awaitOpenTransaction(String bootstrap, String applicationId)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long deadline = System.nanoTime() + OPEN_TRANSACTION_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        for (TransactionListing t :
            admin
                .listTransactions(
                    new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                .all()
                .get()) {
          if (t.transactionalId().startsWith(applicationId + "-")) {
            return true;
          }
        }
      }
      return false;
    }
  }

  private List<String> partitionZeroDocs(int count) {
    List<String> docs = new ArrayList<>();
    for (int i = 0; docs.size() < count; i++) {
      String doc = "json/big-" + i;
      if (Utils.toPositive(Utils.murmur2(doc.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == 0) {
        docs.add(doc);
      }
    }
    return docs;
  }

  private static ObjectNode fill(int d) {
    ObjectNode body = Json.object();
    String value = ("v" + d + "-").repeat(FIELD_CHARS).substring(0, FIELD_CHARS);
    for (int f = 0; f < DOC_KIB * 1024 / FIELD_CHARS; f++) {
      body.put("f" + f, value);
    }
    return body;
  }

  private static ProducerRecord<String, byte[]> probe(TopicNames topics, String doc, String id) {
    return new ProducerRecord<>(
        topics.commands(), doc, Json.bytes(Command.of(id, Json.object().put("at", id))));
  }

  /** The index of the processor whose latest assignment has 0_0 active, from the logs. */
  private static int awaitOwner(List<Path> logs, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < logs.size(); i++) {
        String active = lastActiveTasks(logs.get(i));
        if (active != null && active.contains("0_0")) {
          return i;
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("no processor has task 0_0 active after " + timeout);
  }

  /**
   * Milliseconds from the kill to the survivor's first log line after it that {@code matches}, from
   * its log's timestamps (the same clock: both processes run here).
   */
  private static String loggedAfter(Path survivorLog, long killEpochMs, Predicate<String> matches)
      throws IOException {
    LocalTime kill = Instant.ofEpochMilli(killEpochMs).atZone(ZoneId.systemDefault()).toLocalTime();
    LocalTime logged = null; // continuation lines carry no time of their own
    for (String line : Files.readAllLines(survivorLog, StandardCharsets.UTF_8)) {
      if (line.length() > 12 && line.charAt(2) == ':' && line.charAt(8) == '.') {
        logged = LocalTime.parse(line.substring(0, 12), LOG_TIME);
      }
      if (logged != null && matches.test(line)) {
        long ms = Duration.between(kill, logged).toMillis();
        if (ms >= 0) {
          return Long.toString(ms);
        }
      }
    }
    return "-";
  }

  /** A line of the assignment that makes 0_0 active. */
  private static boolean assignsTaskZero(String line) {
    int at = line.indexOf("New active tasks: ");
    return at >= 0 && line.substring(at).contains("0_0");
  }

  private static String lastActiveTasks(Path logFile) throws IOException {
    if (!Files.exists(logFile)) {
      return null;
    }
    String last = null;
    for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      int at = line.indexOf("New active tasks: ");
      if (at >= 0) {
        last = line.substring(at);
      }
    }
    return last;
  }

  /** Bytes on the broker of partition 0 of the application's changelog topics. */
  private static long changelogBytes(String bootstrap, String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      long bytes = 0;
      for (var dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
        for (var dir : dirs.values()) {
          for (var replica : dir.replicaInfos().entrySet()) {
            TopicPartition tp = replica.getKey();
            if (tp.partition() == 0
                && tp.topic().startsWith(applicationId + "-")
                && tp.topic().endsWith("-changelog")) {
              bytes += replica.getValue().size();
            }
          }
        }
      }
      return bytes;
    }
  }

  /** Records Kafka Streams logged as restored from changelogs so far, per the processor's log. */
  private static long restoredRecords(Path logFile) throws IOException {
    long total = 0;
    for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      int at = line.indexOf(RESTORED);
      if (at >= 0) {
        total += Long.parseLong(line.substring(at + RESTORED.length()).split(" ")[0]);
      }
    }
    return total;
  }

  private static ChildJvm startProcessor(
      String bootstrap, String prefix, Path stateDir, String setting, Path logFile)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("application.id", prefix);
    p.setProperty("topic.prefix", prefix);
    p.setProperty("topic.partitions", Integer.toString(PARTITIONS));
    p.setProperty("state.dir", stateDir.toAbsolutePath().toString());
    p.setProperty("http.port", Integer.toString(Ports.free()));
    p.setProperty("kafka.session.timeout.ms", "6000");
    p.setProperty("kafka.heartbeat.interval.ms", "1500");
    for (String part : setting.split(",")) {
      String[] kv = part.split("=", 2);
      switch (kv[0]) {
        case "standby" -> p.setProperty("num.standby.replicas", kv[1]);
        case "session" -> {
          p.setProperty("kafka.session.timeout.ms", kv[1]);
          p.setProperty("kafka.heartbeat.interval.ms", Long.toString(Long.parseLong(kv[1]) / 4));
        }
        case "txn" -> p.setProperty("kafka.transaction.timeout.ms", kv[1]);
        default -> {
          if (!kv[0].startsWith(BROKER_PREFIX)) {
            p.setProperty(kv[0], kv[1]);
          }
        }
      }
    }
    Files.createDirectories(stateDir);
    Path file = stateDir.resolveSibling(stateDir.getFileName() + ".properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "standby failover bench");
    }
    Path logback = stateDir.resolveSibling("logback.xml");
    Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
    return ChildJvm.start(
        "processor",
        768,
        List.of("-Dlogback.configurationFile=" + logback.toAbsolutePath()),
        "io.docstream.cli.Main",
        List.of("processor", "--config", file.toString()),
        logFile);
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            1 << 20);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A read_committed consumer of the deltas of one document, in its own thread. */
  private static final class DeltaWatch implements AutoCloseable {
    private final AtomicLong latestTimestamp = new AtomicLong(-1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    DeltaWatch(String bootstrap, String topic, String doc) {
      Map<String, Object> config =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ConsumerConfig.GROUP_ID_CONFIG,
              "sf-watch-" + UUID.randomUUID(),
              ConsumerConfig.ISOLATION_LEVEL_CONFIG,
              "read_committed",
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "earliest");
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(topic));
      thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                      if (doc.equals(r.key())) {
                        latestTimestamp.accumulateAndGet(r.timestamp(), Math::max);
                      }
                    }
                  }
                }
              },
              "delta-watch");
      thread.start();
    }

    /** Waits for a delta of the document whose record timestamp is at least {@code epochMs}. */
    boolean awaitDeltaAfter(long epochMs, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (latestTimestamp.get() >= epochMs) {
          return true;
        }
        Thread.sleep(5);
      }
      return false;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  private static void write(
      Path file,
      Conditions c,
      String loadStart,
      String loadEnd,
      int runs,
      int documents,
      List<String> rows)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# Standby failover, " + LocalDate.now(ZoneOffset.UTC));
    lines.add("");
    lines.add(
        String.format(
            "Machine: %d cores (%s), %d MB, %s, Kafka %s. Load average (1/5/15 min) at start %s,"
                + " at end %s.",
            c.cores(), c.cpuModel(), c.memoryMegabytes(), c.java(), c.kafka(), loadStart, loadEnd));
    lines.add("");
    lines.add(
        String.format(
            "One KRaft broker per setting (own JVM, 1 GB heap; its group.min.session.timeout.ms"
                + " is the setting's session, broker.* parts are its settings), %d partitions, two"
                + " processor JVMs (768 MB heap, one stream thread each), exactly_once_v2,"
                + " commit.interval.ms 100, kafka.session.timeout.ms 6000 and heartbeat 1500 unless"
                + " the setting says otherwise (session=MS sets the heartbeat to MS/4; txn=MS sets"
                + " the processors' transaction.timeout.ms, 10000 by default under exactly-once, and"
                + " the broker's transaction.abort.timed.out.transaction.cleanup.interval.ms,"
                + " 10000 by default, to MS/4). State: %d"
                + " json documents of ~%d KiB each (%d fields of %d chars), all on partition 0; %d"
                + " runs per setting; %d s after the fill before the kill for the standby to catch"
                + " up. A message goes to a document of partition 0 every %d ms from %d s before"
                + " the kill on; the owner of task 0_0 (read from its log's latest assignment) is"
                + " killed with kill -9 as soon as the broker lists an ongoing transaction of the"
                + " application (only the owner writes); failover is kill to the first read_committed delta of a"
                + " message sent after the kill; assigned is kill to the survivor's log line of its"
                + " new assignment with 0_0 active; fenced is kill to the survivor's log line of"
                + " its fencing of the dead owner's transactional id (fence.departed.transactions,"
                + " on by default; - when none).",
            PARTITIONS,
            documents,
            DOC_KIB,
            DOC_KIB * 1024 / FIELD_CHARS,
            FIELD_CHARS,
            runs,
            15,
            PROBE_INTERVAL_MS,
            LOAD_BEFORE_KILL_MS / 1000));
    lines.add("");
    lines.add(
        "| setting | run | owner's transaction open at the kill | kill to first delta, ms | kill to assigned, ms | kill to fenced, ms |"
            + " fill, ms | changelogs of partition 0, MB | records the survivor restored after the"
            + " kill |");
    lines.add("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for (String row : rows) {
      lines.add("| " + row + " |");
    }
    lines.add("");
    lines.add("Median kill to first delta, ms:");
    lines.add("");
    Map<String, List<Long>> bySetting = new TreeMap<>();
    for (String row : rows) {
      String[] cells = row.split(" \\| ");
      if (!cells[3].startsWith(">")) {
        bySetting.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(Long.parseLong(cells[3]));
      }
    }
    bySetting.forEach(
        (setting, ms) -> {
          ms.sort(null);
          lines.add(
              "- " + setting + ": " + ms.get((ms.size() - 1) / 2) + " (" + ms.size() + " runs)");
        });
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
