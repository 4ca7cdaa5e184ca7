package io.docstream.bench;

/**
 * Where the cores went during a step, in cores (CPU time over wall-clock time).
 *
 * @param gateway the gateway JVM
 * @param processor the processor JVM
 * @param broker the broker JVM
 * @param bench this JVM: load clients, producer, Kafka consumer, GC
 * @param clientThreads of {@code bench}, the load clients' event-loop threads
 * @param others every other process on the machine (other builds and tests)
 * @param busy the whole machine
 */
record CpuShares(
    double gateway,
    double processor,
    double broker,
    double bench,
    double clientThreads,
    double others,
    double busy) {}
