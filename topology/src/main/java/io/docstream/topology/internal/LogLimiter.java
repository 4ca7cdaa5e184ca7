package io.docstream.topology.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets at most {@code linesPerSecond} log lines per reason through in each second, so that a
 * producer sending bad records cannot flood the log. Shared by the tasks of one processor.
 */
public final class LogLimiter {
  /** {@link #acquire} answers this when the line must not be written. */
  public static final long SUPPRESS = -1;

  private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int linesPerSecond;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new HashMap<>();

  public LogLimiter(int linesPerSecond, LongSupplier nanoClock) {
    this.linesPerSecond = linesPerSecond;
    this.nanoClock = nanoClock;
  }

  /**
   * Asks to write one line for {@code reason}.
   *
   * @return {@link #SUPPRESS}, or the number of lines for this reason suppressed since the last one
   *     written (to be said in the line)
   */
  public synchronized long acquire(String reason) {
    long now = nanoClock.getAsLong();
    Window w = windows.computeIfAbsent(reason, r -> new Window(now));
    if (now - w.startNanos >= SECOND_NANOS) {
      w.startNanos = now;
      w.lines = 0;
    }
    if (w.lines >= linesPerSecond) {
      w.suppressed++;
      return SUPPRESS;
    }
    w.lines++;
    long suppressed = w.suppressed;
    w.suppressed = 0;
    return suppressed;
  }

  private static final class Window {
    long startNanos;
    int lines;
    long suppressed;

    Window(long startNanos) {
      this.startNanos = startNanos;
    }
  }
}
