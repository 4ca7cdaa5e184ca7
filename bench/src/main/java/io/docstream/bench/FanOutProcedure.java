package io.docstream.bench;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One traffic step against the gateway: paced input for a warm-up, then for a window that is
 * measured, without a pause between them so the window starts in a steady state; then a bounded
 * wait until every frame due has arrived. Latency counts the deltas of the messages due in the
 * window, whenever they arrive, at the clients and at a Kafka consumer.
 */
final class FanOutProcedure {
  private static final Logger log = LoggerFactory.getLogger(FanOutProcedure.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final LoadGenerator generator;
  private final FanOutWorkload workload;
  private final ReceivedFrames frames;
  private final OutputProbe probe;
  private final WebSocketClients clients;
  private final CpuClock cpu;
  private final GatewayJvm gateway;
  private final double fanOut;
  private long deliveredBase;
  private long dueBase;

  FanOutProcedure(
      LoadGenerator generator,
      FanOutWorkload workload,
      ReceivedFrames frames,
      OutputProbe probe,
      WebSocketClients clients,
      CpuClock cpu,
      GatewayJvm gateway,
      double fanOut) {
    this.generator = generator;
    this.workload = workload;
    this.frames = frames;
    this.probe = probe;
    this.clients = clients;
    this.cpu = cpu;
    this.gateway = gateway;
    this.fanOut = fanOut;
    rebase();
  }

  FanOutStep run(boolean ramp, int perSecond, Duration warmUp, Duration window)
      throws IOException, InterruptedException {
    log.info("{}/s x fan-out {}: warm-up {} s", perSecond, fanOut, warmUp.toSeconds());
    generator.paced(workload, perSecond, warmUp);
    log.info("{}/s x fan-out {}: window {} s", perSecond, fanOut, window.toSeconds());
    long samples = (long) (perSecond * fanOut * window.toSeconds() * 1.2) + 10_000;
    long fromMillis = System.currentTimeMillis();
    frames.openWindow(fromMillis, (int) Math.min(samples, 50_000_000));
    probe.openWindow(fromMillis, perSecond * (int) window.toSeconds() + 10_000);
    long resets = frames.resets();
    long untimed = frames.untimed();
    long disconnects = frames.disconnects();
    long rejections = probe.other();
    FrameDelays delaysBefore = gateway.frameDelays();
    CpuClock.Sample cpuBefore = cpu.now();
    clients.takeMaxLagMillis();
    long delivered = frames.deltas();
    long due = workload.deliveries();
    long committed = probe.received();
    long startNanos = System.nanoTime();

    generator.paced(workload, perSecond, window);

    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long deliveredInWindow = frames.deltas() - delivered;
    CpuShares cores = cpu.since(cpuBefore);
    long clientLagMillis = clients.takeMaxLagMillis();
    double committedPerSecond = (probe.received() - committed) / seconds;
    double offeredPerSecond = (workload.deliveries() - due) / seconds;
    StringBuilder notes = new StringBuilder();
    drain(notes);
    Latencies kafka = probe.closeWindow();
    Latencies latencies = frames.closeWindow();
    FrameDelays delaysAfter = gateway.frameDelays();
    gateway.jvm().requireAlive();
    note(notes, frames.resets() - resets, "snapshots with reset (slow-client drops)");
    note(notes, frames.untimed() - untimed, "deltas without a due time");
    note(notes, frames.disconnects() - disconnects, "connections lost");
    note(notes, probe.other() - rejections, "rejections");
    FanOutStep step =
        new FanOutStep(
            ramp,
            perSecond,
            committedPerSecond,
            offeredPerSecond,
            deliveredInWindow / seconds,
            latencies.summary(),
            kafka.summary(),
            deliveredInWindow == 0 ? 0 : cores.gateway() * seconds * 1000 / deliveredInWindow,
            cores,
            clientLagMillis,
            delaysAfter.since(delaysBefore, "hub"),
            delaysAfter.since(delaysBefore, "loop"),
            delaysAfter.since(delaysBefore, "socket"),
            notes.toString().trim());
    log.info("{}", step);
    return step;
  }

  /**
   * Waits for every delta on Kafka and every frame due so far; reports and forgets frames that do
   * not come in time.
   */
  private void drain(StringBuilder notes) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    if (!probe.awaitReceived(generator.sent(), DRAIN_TIMEOUT)) {
      notes.append("deltas not all committed within 30 s; ");
    }
    long target = deliveredBase + workload.deliveries() - dueBase;
    while (frames.deltas() < target && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long missing = target - frames.deltas();
    if (missing > 0) {
      notes.append(missing).append(" frames not delivered within 30 s; ");
      rebase();
    }
  }

  private void rebase() {
    deliveredBase = frames.deltas();
    dueBase = workload.deliveries();
  }

  private static void note(StringBuilder notes, long count, String what) {
    if (count > 0) {
      notes.append(count).append(' ').append(what).append("; ");
    }
  }
}
