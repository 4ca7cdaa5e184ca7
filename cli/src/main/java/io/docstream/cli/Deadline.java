package io.docstream.cli;

import java.time.Duration;

/** The moment a command gives up; every blocking call gets what is left of it. */
final class Deadline {
  private static final Duration AT_LEAST = Duration.ofMillis(1);
  private final long endNanos;

  private Deadline(long endNanos) {
    this.endNanos = endNanos;
  }

  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  Duration remaining() {
    Duration left = Duration.ofNanos(endNanos - System.nanoTime());
    return left.compareTo(AT_LEAST) < 0 ? AT_LEAST : left;
  }

  boolean passed() {
    return System.nanoTime() >= endNanos;
  }
}
