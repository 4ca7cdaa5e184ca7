package io.docstream.bench;

/**
 * What one target measured.
 *
 * @param target what ran, e.g. "docstream"
 * @param documentBytes the size documents were pre-filled to, or 0 for the pass-through
 * @param storedSample the size of one document as the read API returned it, or 0
 * @param throughputPerSecond the committed output rate while saturated
 * @param latency end-to-end latency at the paced rate
 * @param pacedPerSecond the paced rate
 * @param cpuMillisPerMessage CPU time of the target's JVM per message in the latency window
 * @param rejections records on the rejections topic (a clean run has none)
 * @param writes what the target wrote to the broker per message in the throughput window
 * @param cores where the cores went in the throughput window
 * @param commits what the target's commits spent their time on in the latency window, or null
 * @param notes anything that went wrong (undrained backlog, ...), or empty
 */
record Measurement(
    String target,
    int documentBytes,
    long storedSample,
    double throughputPerSecond,
    Latencies.Summary latency,
    int pacedPerSecond,
    double cpuMillisPerMessage,
    long rejections,
    Writes writes,
    Saturation cores,
    StreamsJmx.Commits commits,
    String notes) {

  /**
   * Per committed message: records (end offsets, transaction markers included) and log bytes on
   * disk, over every topic the target writes (outputs and changelogs).
   */
  record Writes(double records, double bytes) {}
}
