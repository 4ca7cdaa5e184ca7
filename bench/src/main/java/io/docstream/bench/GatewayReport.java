package io.docstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The markdown report of a gateway bench run: conditions, idle memory, then the traffic steps. */
record GatewayReport(
    GatewayBenchOptions options,
    Conditions conditions,
    String loadAtEnd,
    OsLimits limits,
    String nettyVersion,
    IdleMemory memory,
    List<FanOutStep> steps,
    List<String> notes,
    Duration elapsed) {

  private static final int TOP_CLASSES = 12;
  private static final double KIB = 1024;
  private static final double MIB = 1024 * 1024;

  /** Writes {@code <dir>/<date>-gateway.md}, or {@code <date>-gateway-2.md} etc. if that exists. */
  Path writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    String date = LocalDate.now().toString();
    Path file = dir.resolve(date + "-gateway.md");
    for (int n = 2; Files.exists(file); n++) {
      file = dir.resolve(date + "-gateway-" + n + ".md");
    }
    Files.writeString(file, markdown());
    return file;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# docstream gateway bench, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append("\n\n## Conditions\n\n");
    conditions(md);
    md.append("\n## Memory per idle connection\n\n");
    memory(md);
    md.append("\n## Fan-out traffic\n\n");
    traffic(md);
    gatewayAddedLatency(md);
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      notes.forEach(n -> line(md, "%s", n));
    }
    md.append("\nReproduce: `bench/gateway.sh` (options: `bench/gateway.sh --help`).\n");
    return md.toString();
  }

  private void conditions(StringBuilder md) {
    Conditions c = conditions;
    line(
        md,
        "Machine: %d cores (%s), %d MiB RAM, shared with other builds; the broker, the processor, the gateway and the bench JVM (load clients, producer, Kafka consumer) all run on these cores",
        c.cores(),
        c.cpuModel(),
        c.memoryMegabytes());
    line(md, "Load average (1/5/15 min): %s at start, %s at end", c.load(), loadAtEnd);
    line(md, "Software: %s, Kafka %s, Netty %s", c.java(), c.kafka(), nettyVersion);
    line(
        md,
        "OS limits: %d open files per process, ephemeral ports %d-%d; everything on 127.0.0.1",
        limits.openFiles(),
        limits.firstPort(),
        limits.lastPort());
    line(
        md,
        "Broker: one KRaft node in its own JVM, -Xmx%dm, C2 on; %d partitions per topic",
        options.brokerHeapMegabytes,
        options.partitions);
    line(
        md,
        "Processor: its own JVM, -Xms/-Xmx%dm, 1 stream thread, exactly_once_v2, %s",
        options.processorHeapMegabytes,
        options.processorSettings().processor());
    line(
        md,
        "Gateway: its own JVM, -Xms/-Xmx%dm (G1, -XX:+AlwaysPreTouch), gateway.io.threads=%d, gateway.hub.threads=%s, every limit at its default (max backlog 1 MiB per connection); HS256 JWT per connection, one viewer each; `json` space (no view rules: one serialization per delta)",
        options.gatewayHeapMegabytes,
        options.gatewayIoThreads,
        options.hubThreads > 0
            ? Integer.toString(options.hubThreads)
            : "default (available processors)");
    line(
        md,
        "Clients: %,d WebSocket connections from the bench JVM (Netty client, %d event-loop thread%s), opened at %d/s; connection i subscribes to `json/fan-(i mod %d)`: %d documents, fan-out %.0f; they only receive",
        options.connections,
        options.clientThreads,
        options.clientThreads == 1 ? "" : "s",
        options.connectPerSecond,
        options.documents,
        options.documents,
        options.fanOut());
    line(
        md,
        "Messages: merge patches `{\"t\": dueMillis}` (one idempotent producer, acks=all, linger.ms=%d), paced round-robin over the documents; the record timestamp is the due time too",
        LoadGenerator.LINGER_MS);
    line(
        md,
        "Steps: warm-up %d s before the first, %d s before the others, at the step's rate and without a pause before the window; paced windows %d s; ramp windows %d s, from %d msg/s up x%.1f, stopping when p99 > %d ms or delivered < %.0f%% of offered",
        options.warmUpSeconds,
        options.shortWarmUpSeconds,
        options.windowSeconds,
        options.rampSeconds,
        options.rampStartPerSecond,
        options.rampFactor,
        FanOutStep.SATURATED_P99_MILLIS,
        FanOutStep.SATURATED_DELIVERED_SHARE * 100);
    line(
        md,
        "Latency: from the message's due time (the `t` its delta carries) to receipt of the delta frame by the client, for every delivery of the messages due in the window; nearest-rank percentiles. \"Kafka\": from the same due time to receipt of the same deltas by a read_committed consumer in the bench JVM, i.e. the part before the gateway");
    line(md, "Whole run: %d s", elapsed.toSeconds());
  }

  private void memory(StringBuilder md) {
    IdleMemory m = memory;
    md.append("| connections | gateway live heap after full GC | gateway RSS |\n")
        .append("|---|---:|---:|\n");
    row(md, "0 (after opening and closing a warm-up round)", m.none());
    row(md, String.format(Locale.ROOT, "%,d", m.connections() / 2), m.half());
    row(md, String.format(Locale.ROOT, "%,d", m.connections()), m.full());
    row(md, "0 (all closed, after the traffic)", m.after());
    md.append('\n');
    line(
        md,
        "**Heap per idle connection: %.1f KiB** (all vs none); %.1f KiB for each of the second half",
        m.heapBytesPerConnection() / KIB,
        m.marginalHeapBytesPerConnection() / KIB);
    line(
        md,
        "**Outside the heap: %.1f KiB per idle connection** (RSS, all vs none; the heap is touched at start, so this is native memory: NIO, Netty's buffers, JIT); kernel socket buffers are not in RSS",
        m.rssBytesPerConnection() / KIB);
    line(
        md,
        "Anchors: Centrifugo advises 30-50 KB per WebSocket connection; the aim here is < 20 KiB per idle connection");
    line(
        md,
        "Live heap left after all connections closed: %+.1f MiB vs before they opened",
        m.heapBytesLeftAfterClose() / MIB);
    line(
        md,
        "Gateway CPU per connection opened (TCP, handshake, JWT, subscription, snapshot): %.2f ms",
        m.gatewayCpuMillisPerConnection());
    md.append("\nWhere the heap per connection goes (live objects, all vs none):\n\n")
        .append("| class | instances/connection | bytes/connection |\n")
        .append("|---|---:|---:|\n");
    for (IdleMemory.ClassGrowth g : m.topClasses(TOP_CLASSES)) {
      md.append(
          String.format(
              Locale.ROOT, "| `%s` | %.2f | %.0f |%n", g.name(), g.instances(), g.bytes()));
    }
  }

  private static void row(StringBuilder md, String label, JvmMemory m) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.1f MiB | %.1f MiB |%n",
            label,
            m.liveHeapBytes() / MIB,
            m.rssBytes() / MIB));
  }

  private void traffic(StringBuilder md) {
    md.append(
            "| step | input msg/s | Kafka deltas/s | offered/s | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | samples | Kafka p50 / p99 ms | gateway CPU ms/delta | notes |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (FanOutStep s : steps) {
      Latencies.Summary l = s.clients();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,.0f | %,.0f | %,.0f | %d | %d | %d | %d | %,d | %d / %d | %.4f | %s |%n",
              s.ramp() ? "ramp" : "paced",
              s.inputPerSecond(),
              s.kafkaDeltasPerSecond(),
              s.offeredPerSecond(),
              s.deliveredPerSecond(),
              l.p50(),
              l.p99(),
              l.p999(),
              l.max(),
              l.samples(),
              s.kafka().p50(),
              s.kafka().p99(),
              s.gatewayCpuMillisPerDelta(),
              s.notes()));
    }
    md.append('\n');
    steps.stream()
        .max(Comparator.comparingDouble(FanOutStep::deliveredPerSecond))
        .ifPresent(
            best ->
                line(
                    md,
                    "**Most delivered: %,.0f frames/s** (input %,d msg/s x fan-out %.0f, p99 %d ms). Anchors: Centrifugo reports ~25,000 delivered messages/s per 2-CPU node; the aim here is > 25,000/s",
                    best.deliveredPerSecond(),
                    best.inputPerSecond(),
                    options.fanOut(),
                    best.clients().p99()));
    line(
        md,
        "Most delivered in a step that kept up (p99 <= %d ms, delivered >= %.0f%% of offered): %s",
        FanOutStep.SATURATED_P99_MILLIS,
        FanOutStep.SATURATED_DELIVERED_SHARE * 100,
        steps.stream()
            .filter(s -> !s.saturated())
            .max(Comparator.comparingDouble(FanOutStep::deliveredPerSecond))
            .map(s -> String.format(Locale.ROOT, "%,.0f frames/s", s.deliveredPerSecond()))
            .orElse("none"));
    md.append(
        "\n\"offered/s\" is the deliveries due (input x fan-out); \"delivered/s\" the delta frames all "
            + "clients received during the window (more than offered while a backlog drains). "
            + "Gateway CPU includes its Kafka consumer and GC.\n");
    md.append("\nWhere the cores went in each step (CPU time / wall-clock time):\n\n")
        .append(
            "| step | input msg/s | gateway | processor | broker | bench JVM | of which client thread(s) | other processes | machine busy | client loop late by, max ms |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (FanOutStep s : steps) {
      CpuShares c = s.cpu();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f of %d | %d |%n",
              s.ramp() ? "ramp" : "paced",
              s.inputPerSecond(),
              c.gateway(),
              c.processor(),
              c.broker(),
              c.bench(),
              c.clientThreads(),
              c.others(),
              c.busy(),
              conditions.cores(),
              s.clientLagMillis()));
    }
    md.append(
        "\nA client thread near 1.0, or a client loop late by as much as the latency, means the "
            + "load clients, not the gateway, limit the step (a 10 ms timer on each client event loop "
            + "measures how late it runs). \"other processes\" are not the bench's (other builds and "
            + "tests on the machine).\n");
  }

  /**
   * What the gateway adds to Kafka's own delivery, two ways: the clients' percentiles minus the
   * Kafka consumer's over the same messages (which counts the load clients' own lateness too), and
   * the gateway's own histogram of the time from its Kafka consumer to the socket write (which
   * cannot count it).
   */
  private void gatewayAddedLatency(StringBuilder md) {
    md.append(
            "\n## What the gateway adds to Kafka's latency\n\n"
                + "Target: at most 10 ms on the p99 at 10,000 delivered frames/s. \"Clients -"
                + " Kafka\": the clients' percentiles minus those of the read_committed consumer in"
                + " the bench JVM, over the same messages; it counts the gateway's part (its Kafka"
                + " consumer, routing, fan-out, socket writes) and also the loopback and the load"
                + " clients' own lateness (their event loop shares the cores). \"Inside the"
                + " gateway\": the gateway's own `docstream_gateway_frame_delay_total` histogram,"
                + " scraped before the window and after its drain, from a delta's record leaving"
                + " the gateway's Kafka consumer to its frame's socket write, for every frame"
                + " written meanwhile; each percentile is the upper bound of its bucket (never"
                + " below the true value). It cannot count the clients' lateness, nor the gateway"
                + " consumer's own wait for a commit, which is the same as the bench consumer's"
                + " (both are read_committed fetches woken by the same commit marker).\n\n")
        .append(
            "| step | input msg/s | delivered/s | Kafka p50 / p99 / p99.9 ms | clients p50 / p99 / p99.9 ms | clients - Kafka p50 / p99 / p99.9 ms | inside the gateway p50 / p99 / p99.9 ms (frames) |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (FanOutStep s : steps) {
      Latencies.Summary k = s.kafka();
      Latencies.Summary c = s.clients();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,.0f | %d / %d / %d | %d / %d / %d | %+d / %+d / %+d | %s |%n",
              s.ramp() ? "ramp" : "paced",
              s.inputPerSecond(),
              s.deliveredPerSecond(),
              k.p50(),
              k.p99(),
              k.p999(),
              c.p50(),
              c.p99(),
              c.p999(),
              c.p50() - k.p50(),
              c.p99() - k.p99(),
              c.p999() - k.p999(),
              delay(s.socketDelay())));
    }
    md.append(
            "\nInside the gateway by stage, from a record leaving its Kafka consumer to: the hub"
                + " thread taking it, the connection's event loop taking its frame, the socket"
                + " write (ms, upper bounds of buckets; the first two count a poll's batch once per"
                + " hub thread and per event loop, the last every frame):\n\n")
        .append("| step | input msg/s | hub thread | event loop | socket write |\n")
        .append("|---|---:|---:|---:|---:|\n");
    for (FanOutStep s : steps) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %s | %s |%n",
              s.ramp() ? "ramp" : "paced",
              s.inputPerSecond(),
              delay(s.hubDelay()),
              delay(s.loopDelay()),
              delay(s.socketDelay())));
    }
  }

  private static String delay(FrameDelays.Summary d) {
    if (d.frames() == 0) {
      return "n/a";
    }
    return String.format(
        Locale.ROOT,
        "%s / %s / %s (%,d)",
        bound(d.p50()),
        bound(d.p99()),
        bound(d.p999()),
        d.frames());
  }

  private static String bound(double millis) {
    if (Double.isInfinite(millis)) {
      return "> 5000";
    }
    return "<= "
        + (millis == Math.rint(millis) ? Long.toString((long) millis) : Double.toString(millis));
  }

  private static void line(StringBuilder md, String format, Object... args) {
    md.append("- ").append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
