package io.docstream.bench;

/**
 * What one traffic step measured, over its window.
 *
 * @param ramp whether the step belongs to the saturating ramp
 * @param inputPerSecond the paced input rate, messages/s
 * @param kafkaDeltasPerSecond deltas committed to Kafka per second, as a read_committed consumer in
 *     the bench JVM saw them
 * @param offeredPerSecond deliveries/s due: input rate x fan-out
 * @param deliveredPerSecond delta frames received by all clients per second
 * @param clients latency from a message's due time to receipt of its delta frame by a client
 * @param kafka latency from the same due time to receipt of the delta by the Kafka consumer
 * @param gatewayCpuMillisPerDelta gateway JVM CPU time per delivered frame
 * @param cpu where the cores went
 * @param clientLagMillis the most a client event loop was late during the window
 * @param hubDelay inside the gateway, from its Kafka consumer to the hub thread, for the frames
 *     written from the window's start to the end of its drain
 * @param loopDelay likewise, to the connection's event loop
 * @param socketDelay likewise, to the socket write: all the gateway adds after its consumer
 * @param notes anything that went wrong (undelivered frames, resets, closes), or empty
 */
record FanOutStep(
    boolean ramp,
    int inputPerSecond,
    double kafkaDeltasPerSecond,
    double offeredPerSecond,
    double deliveredPerSecond,
    Latencies.Summary clients,
    Latencies.Summary kafka,
    double gatewayCpuMillisPerDelta,
    CpuShares cpu,
    long clientLagMillis,
    FrameDelays.Summary hubDelay,
    FrameDelays.Summary loopDelay,
    FrameDelays.Summary socketDelay,
    String notes) {

  /** A p99 beyond this means the step is past what the system sustains. */
  static final long SATURATED_P99_MILLIS = 1000;

  /** Delivering less than this share of the offered rate means the same. */
  static final double SATURATED_DELIVERED_SHARE = 0.95;

  boolean saturated() {
    return clients.p99() > SATURATED_P99_MILLIS
        || deliveredPerSecond < SATURATED_DELIVERED_SHARE * offeredPerSecond
        || !notes.isEmpty();
  }
}
