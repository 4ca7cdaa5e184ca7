package io.docstream.scenarios;

import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;

/**
 * A wall clock that reads scenario time: the system clock moved back by an offset, so it runs at
 * the system clock's speed. Kafka Streams takes it for its wall-clock punctuations, which deliver
 * docstream's timers. It only ever moves forward, since Streams' commit and punctuation schedules
 * assume a clock that never goes back.
 */
final class ScenarioClock implements Time {
  private volatile long offsetMillis;

  /** A clock that reads {@code nowMillis} now. */
  ScenarioClock(long nowMillis) {
    offsetMillis = System.currentTimeMillis() - nowMillis;
  }

  /**
   * Jumps forward to {@code millis}.
   *
   * @throws IllegalStateException if the clock is already past it
   */
  synchronized void jumpTo(long millis) {
    long now = milliseconds();
    if (now > millis) {
      throw new IllegalStateException("the clock already reads " + now + ", past " + millis);
    }
    offsetMillis -= millis - now;
  }

  /** Returns once the clock reads {@code millis} or later. */
  void sleepUntil(long millis) {
    for (long left = millis - milliseconds(); left > 0; left = millis - milliseconds()) {
      sleep(left);
    }
  }

  @Override
  public long milliseconds() {
    return System.currentTimeMillis() - offsetMillis;
  }

  @Override
  public long nanoseconds() {
    return System.nanoTime();
  }

  @Override
  public void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** As Kafka's system time does it, against this clock. */
  @Override
  public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs)
      throws InterruptedException {
    synchronized (obj) {
      while (!condition.get()) {
        long now = milliseconds();
        if (now >= deadlineMs) {
          throw new TimeoutException("Condition not satisfied before deadline");
        }
        obj.wait(deadlineMs - now);
      }
    }
  }
}
