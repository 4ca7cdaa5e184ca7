package io.docstream.bench;

import java.util.Comparator;
import java.util.List;

/**
 * The gateway's memory with idle connections (subscribed, no traffic): with none (after a warm-up
 * round of connections, opened and closed), with half of them, with all, and with none again after
 * the traffic steps, when every connection has been closed.
 *
 * @param connections connections open at {@code full}; {@code half} had half of them
 * @param gatewayCpuMillisPerConnection gateway CPU time per connection opened (TCP, WebSocket
 *     handshake with a JWT, subscription, snapshot)
 */
record IdleMemory(
    int connections,
    JvmMemory none,
    JvmMemory half,
    JvmMemory full,
    JvmMemory after,
    double gatewayCpuMillisPerConnection) {

  /** (heap with all - heap with none) / connections. */
  double heapBytesPerConnection() {
    return (double) (full.liveHeapBytes() - none.liveHeapBytes()) / connections;
  }

  /** (heap with all - heap with half) / the second half: the cost of one more connection. */
  double marginalHeapBytesPerConnection() {
    return (double) (full.liveHeapBytes() - half.liveHeapBytes()) / (connections - connections / 2);
  }

  double rssBytesPerConnection() {
    return (double) (full.rssBytes() - none.rssBytes()) / connections;
  }

  /** The classes whose live bytes grew most between none and all, per connection. */
  List<ClassGrowth> topClasses(int count) {
    return full.classes().entrySet().stream()
        .map(
            e -> {
              JvmMemory.Usage before =
                  none.classes().getOrDefault(e.getKey(), new JvmMemory.Usage(0, 0));
              return new ClassGrowth(
                  e.getKey(),
                  (double) (e.getValue().instances() - before.instances()) / connections,
                  (double) (e.getValue().bytes() - before.bytes()) / connections);
            })
        .sorted(Comparator.comparingDouble(ClassGrowth::bytes).reversed())
        .limit(count)
        .toList();
  }

  /** How much of one class each connection added. */
  record ClassGrowth(String name, double instances, double bytes) {}

  IdleMemory withAfter(JvmMemory closed) {
    return new IdleMemory(connections, none, half, full, closed, gatewayCpuMillisPerConnection);
  }

  /** The live heap after the connections were closed minus before they were opened. */
  long heapBytesLeftAfterClose() {
    return after.liveHeapBytes() - none.liveHeapBytes();
  }
}
