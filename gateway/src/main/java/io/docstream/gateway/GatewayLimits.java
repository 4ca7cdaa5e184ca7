package io.docstream.gateway;

/**
 * The per-connection and per-document bounds of a gateway.
 *
 * @param maxFrameBytes the largest client frame; a larger one closes the connection with 1009
 * @param maxBacklogBytes bytes queued for one connection beyond the socket's own buffer; past it
 *     the overflowing document's pending frames are dropped and a fresh snapshot follows later
 * @param maxOverflows overflows tolerated within {@code overflowWindowMillis}; one more closes the
 *     connection with 4008
 * @param overflowWindowMillis the window in which overflows are counted
 * @param maxSubscriptions documents one connection may subscribe to at once
 * @param sendsPerSecond sustained sends per connection (a burst of as many is allowed)
 * @param maxPendingSends sends of one connection awaiting their ack or reject
 * @param ackTimeoutMillis how long a send waits for its outcome before it is rejected (retryable)
 * @param historyDeltas recent deltas kept per watched document to serve resumes from memory
 * @param snapshotTimeoutMillis how long fetching a snapshot from the processors may take, retries
 *     included
 */
public record GatewayLimits(
    int maxFrameBytes,
    long maxBacklogBytes,
    int maxOverflows,
    long overflowWindowMillis,
    int maxSubscriptions,
    int sendsPerSecond,
    int maxPendingSends,
    long ackTimeoutMillis,
    int historyDeltas,
    long snapshotTimeoutMillis) {

  public static GatewayLimits defaults() {
    return new GatewayLimits(64 * 1024, 1024 * 1024, 3, 60_000, 100, 50, 256, 30_000, 64, 10_000);
  }

  public GatewayLimits withMaxBacklogBytes(long bytes) {
    return new GatewayLimits(
        maxFrameBytes,
        bytes,
        maxOverflows,
        overflowWindowMillis,
        maxSubscriptions,
        sendsPerSecond,
        maxPendingSends,
        ackTimeoutMillis,
        historyDeltas,
        snapshotTimeoutMillis);
  }

  public GatewayLimits withSendsPerSecond(int perSecond) {
    return new GatewayLimits(
        maxFrameBytes,
        maxBacklogBytes,
        maxOverflows,
        overflowWindowMillis,
        maxSubscriptions,
        perSecond,
        maxPendingSends,
        ackTimeoutMillis,
        historyDeltas,
        snapshotTimeoutMillis);
  }

  public GatewayLimits withMaxSubscriptions(int max) {
    return new GatewayLimits(
        maxFrameBytes,
        maxBacklogBytes,
        maxOverflows,
        overflowWindowMillis,
        max,
        sendsPerSecond,
        maxPendingSends,
        ackTimeoutMillis,
        historyDeltas,
        snapshotTimeoutMillis);
  }
}
