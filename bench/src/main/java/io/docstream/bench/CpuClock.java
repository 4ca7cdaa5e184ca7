package io.docstream.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * Reads the CPU time of each process of the bench and of the whole machine, to say where the cores
 * went during a step, including to processes that are not the bench's.
 */
final class CpuClock {
  private final ProcessHandle gateway;
  private final ProcessHandle processor;
  private final ProcessHandle broker;
  private final WebSocketClients clients;
  private final int cores = Runtime.getRuntime().availableProcessors();

  CpuClock(long gatewayPid, long processorPid, long brokerPid, WebSocketClients clients) {
    this.gateway = process(gatewayPid);
    this.processor = process(processorPid);
    this.broker = process(brokerPid);
    this.clients = clients;
  }

  private static ProcessHandle process(long pid) {
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
  }

  /** CPU times so far. */
  record Sample(
      long nanoTime,
      long gatewayMillis,
      long processorMillis,
      long brokerMillis,
      long benchMillis,
      long clientNanos,
      MachineCpu machine) {}

  Sample now() throws IOException {
    return new Sample(
        System.nanoTime(),
        millis(gateway),
        millis(processor),
        millis(broker),
        millis(ProcessHandle.current()),
        clients.cpuNanos(),
        MachineCpu.now());
  }

  /** Cores each used since {@code before}: CPU time over wall-clock time. */
  CpuShares since(Sample before) throws IOException {
    Sample now = now();
    double seconds = (now.nanoTime - before.nanoTime) / 1e9;
    double gatewayCores = (now.gatewayMillis - before.gatewayMillis) / 1e3 / seconds;
    double processorCores = (now.processorMillis - before.processorMillis) / 1e3 / seconds;
    double brokerCores = (now.brokerMillis - before.brokerMillis) / 1e3 / seconds;
    double benchCores = (now.benchMillis - before.benchMillis) / 1e3 / seconds;
    double busyCores = now.machine.busySince(before.machine) * cores;
    return new CpuShares(
        gatewayCores,
        processorCores,
        brokerCores,
        benchCores,
        (now.clientNanos - before.clientNanos) / 1e9 / seconds,
        Math.max(0, busyCores - gatewayCores - processorCores - brokerCores - benchCores),
        busyCores);
  }

  private static long millis(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }
}
