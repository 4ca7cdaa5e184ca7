package io.docstream.bench;

/**
 * Where the cores went while the generator saturated a target, over the throughput window (settle
 * excluded), in cores: CPU time over wall-clock time.
 *
 * @param streamThreads the target's stream threads (Kafka Streams' {@code *-StreamThread-N}, from
 *     its thread CPU times over JMX), or -1 when the bench could not attach
 * @param jit the target's JIT compiler threads (their compilation time over JMX), or -1 when the
 *     bench could not attach: a compiler still busy in the window takes cores from the target
 * @param target the target's whole JVM (stream threads, its producers' network threads, GC, JIT)
 * @param machine every process on the machine, the broker and the bench included
 */
record Saturation(double streamThreads, double jit, double target, double machine) {
  /** CPU time in a target JVM and on the machine at one moment; -1 for what JMX did not give. */
  record Sample(
      long nanoTime,
      long streamThreadNanos,
      long compilationMillis,
      long targetMillis,
      MachineCpu machine) {}

  static Saturation between(Sample before, Sample after, int cores) {
    double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
    double streamThreads =
        before.streamThreadNanos() < 0 || after.streamThreadNanos() < 0
            ? -1
            : (after.streamThreadNanos() - before.streamThreadNanos()) / 1e9 / seconds;
    double jit =
        before.compilationMillis() < 0 || after.compilationMillis() < 0
            ? -1
            : (after.compilationMillis() - before.compilationMillis()) / 1e3 / seconds;
    return new Saturation(
        streamThreads,
        jit,
        (after.targetMillis() - before.targetMillis()) / 1e3 / seconds,
        after.machine().busySince(before.machine()) * cores);
  }
}
