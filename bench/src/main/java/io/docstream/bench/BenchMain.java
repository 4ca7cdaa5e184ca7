package io.docstream.bench;

import io.docstream.broker.BrokerOptions;
import io.docstream.broker.KafkaBroker;
import io.docstream.serdes.TopicNames;
import io.docstream.topology.TopicSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * One bench run on one broker: the exactly_once_v2 pass-through (the ceiling), then the docstream
 * processor on the same message stream at each document size. Results go to {@code
 * bench/results/<date>.md}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Throughput and end-to-end latency: pass-through EOS v2 vs docstream.")
public final class BenchMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

  @Mixin BenchOptions options;

  private long startNanos;
  private final List<String> skipped = new ArrayList<>();
  private final ProfileComparison profiles = new ProfileComparison();

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    startNanos = System.nanoTime();
    Conditions conditions = Conditions.now();
    Path work = options.workDir.toAbsolutePath();
    Utils.delete(work.toFile());
    List<Measurement> results = new ArrayList<>();
    try (KafkaBroker broker =
        KafkaBroker.start(
            BrokerOptions.inDirectory(work.resolve("broker"))
                .withHeapMegabytes(options.brokerHeapMegabytes)
                .withFullJit(!options.brokerC1Only))) {
      for (TargetSettings settings : targetSettings()) {
        Measurement passThrough;
        List<Measurement> docstream;
        if (options.rateFraction == null) {
          passThrough =
              passThrough(broker.bootstrapServers(), work, settings, options.ratePerSecond);
          docstream = docstream(broker.bootstrapServers(), work, settings);
        } else {
          docstream = docstream(broker.bootstrapServers(), work, settings);
          int rate =
              docstream.isEmpty() ? options.ratePerSecond : docstream.get(0).pacedPerSecond();
          passThrough = passThrough(broker.bootstrapServers(), work, settings, rate);
        }
        results.add(passThrough);
        results.addAll(docstream);
        profiles.add(new ProfileComparison.Pair(settings, passThrough, docstream));
      }
    }
    Path report =
        new Report(
                options,
                conditions,
                Conditions.loadAverage(),
                results,
                skipped,
                elapsed(),
                profiles)
            .writeTo(options.resultsDir);
    System.out.println(Files.readString(report));
    System.out.println("written to " + report);
    return 0;
  }

  /** One pass-through / docstream pair per {@code --profiles} entry, else one at the interval. */
  private List<TargetSettings> targetSettings() {
    List<TargetSettings> pairs =
        options.profiles.isEmpty()
            ? List.of(TargetSettings.commitInterval(options.commitIntervalMillis))
            : options.profiles.stream().map(TargetSettings::parse).toList();
    return pairs.stream().map(s -> s.with(options.streamsSettings)).toList();
  }

  private Measurement passThrough(String bootstrap, Path work, TargetSettings settings, int rate)
      throws Exception {
    String in = "pass-through" + settings.suffix() + ".in";
    String out = "pass-through" + settings.suffix() + ".out";
    short one = 1;
    try (Admin admin = Admin.create(TopicSetup.adminProps(bootstrap, Map.of()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(in, options.partitions, one),
                  new NewTopic(out, options.partitions, one)))
          .all()
          .get();
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                bootstrap,
                "bench-pass-through" + settings.suffix(),
                in,
                out,
                work.resolve("pass-through-state" + settings.suffix()).toString(),
                Integer.toString(options.passThroughStores),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG + "=" + options.streamThreads));
    settings.streams().forEach((k, v) -> args.add(k + "=" + v));
    try (ChildJvm jvm =
            ChildJvm.start(
                "pass-through",
                options.heapMegabytes,
                PassThroughMain.class.getName(),
                args,
                work.resolve("pass-through" + settings.suffix() + ".log"));
        OutputProbe probe = new OutputProbe(bootstrap, out, List.of());
        LoadGenerator generator = new LoadGenerator(bootstrap);
        WriteMeter writes = new WriteMeter(bootstrap, WriteMeter.allBut(in))) {
      Workload workload = new Workload(in, "pt", Workload.docs("pt", options.documents));
      Procedure.awaitEndToEnd(generator, probe, workload);
      return new Procedure(options, writes)
          .run(
              "pass-through EOS v2"
                  + (options.passThroughStores > 0
                      ? " + " + options.passThroughStores + " stores"
                      : "")
                  + settings.label(),
              0,
              0,
              jvm,
              generator,
              probe,
              workload,
              Duration.ofSeconds(options.warmUpSeconds),
              rate);
    }
  }

  private List<Measurement> docstream(String bootstrap, Path work, TargetSettings settings)
      throws Exception {
    TopicNames topics = new TopicNames("bench" + settings.suffix());
    TopicSetup.ensure(
        TopicSetup.adminProps(bootstrap, Map.of()), topics, options.partitions, (short) 1);
    int httpPort = Ports.free();
    List<Measurement> results = new ArrayList<>();
    try (ChildJvm jvm =
            ProcessorJvm.start(
                bootstrap,
                topics,
                settings.suffix(),
                work,
                httpPort,
                options.heapMegabytes,
                withBenchSettings(settings.processor()),
                processorJvmOptions(work, settings));
        OutputProbe probe =
            new OutputProbe(bootstrap, topics.deltas(), List.of(topics.rejections()));
        LoadGenerator generator = new LoadGenerator(bootstrap);
        WriteMeter writes = new WriteMeter(bootstrap, WriteMeter.allBut(topics.commands()))) {
      boolean first = true;
      for (int size : options.documentBytes) {
        if (!fits(options.estimateSeconds(first))) {
          skipped.add("docstream at " + size + " B (would exceed --max-minutes)");
          continue;
        }
        Workload workload =
            new Workload(
                topics.commands(), "s" + size, Workload.docs("s" + size, options.documents));
        if (first) {
          Procedure.awaitEndToEnd(generator, probe, workload);
        }
        log.info("docstream: pre-filling {} documents to {} bytes", options.documents, size);
        generator.sendAll(workload.fill(size));
        if (!probe.awaitReceived(generator.sent(), Duration.ofSeconds(180))) {
          throw new IllegalStateException("pre-fill to " + size + " B did not finish in 180 s");
        }
        long stored = storedBytes(httpPort, workload.docs().get(0));
        Duration warmUp =
            Duration.ofSeconds(first ? options.warmUpSeconds : options.shortWarmUpSeconds);
        Procedure procedure = new Procedure(options, writes);
        String target = "docstream" + settings.label();
        results.add(
            options.rateFraction == null
                ? procedure.run(
                    target,
                    size,
                    stored,
                    jvm,
                    generator,
                    probe,
                    workload,
                    warmUp,
                    options.ratePerSecond)
                : procedure.runAtFraction(
                    target,
                    size,
                    stored,
                    jvm,
                    generator,
                    probe,
                    workload,
                    warmUp,
                    options.ratePerSecond,
                    options.rateFraction));
        first = false;
      }
    }
    return results;
  }

  /** A profile's processor settings with the run's {@code --processor-setting}s on top. */
  private Map<String, String> withBenchSettings(Map<String, String> profile) {
    Map<String, String> all = new TreeMap<>(profile);
    all.put("stream.threads", Integer.toString(options.streamThreads));
    all.putAll(options.processorSettings);
    return all;
  }

  /**
   * {@code --processor-jvm-option}s and, with {@code --processor-jfr}, a flight recording written
   * to the work directory at exit.
   */
  private List<String> processorJvmOptions(Path work, TargetSettings settings) {
    List<String> jvmOptions = new ArrayList<>(options.processorJvmOptions);
    if (options.processorJfr) {
      Path jfr = work.resolve("processor" + settings.suffix() + ".jfr");
      jvmOptions.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
    }
    return jvmOptions;
  }

  /** The size of one document's {@code data} as the read API serves it. */
  private static long storedBytes(int httpPort, String doc) throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/docs/" + doc))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + doc + " answered " + response.statusCode());
    }
    return response.body().length;
  }

  private boolean fits(long seconds) {
    return elapsed().toSeconds() + seconds <= options.maxMinutes * 60L;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
