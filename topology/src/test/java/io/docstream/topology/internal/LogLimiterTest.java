package io.docstream.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final LogLimiter limiter = new LogLimiter(3, nanos::get);

  @Test
  void shouldLetThroughAtMostTheLimitPerReasonEachSecond() {
    assertThat(acquire("4100", 5))
        .containsExactly(0L, 0L, 0L, LogLimiter.SUPPRESS, LogLimiter.SUPPRESS);
    assertThat(acquire("4101", 1)).containsExactly(0L);
  }

  @Test
  void shouldTellTheNextLineHowManyWereSuppressed() {
    acquire("4100", 10);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    assertThat(limiter.acquire("4100")).isEqualTo(LogLimiter.SUPPRESS);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));

    assertThat(acquire("4100", 2)).containsExactly(8L, 0L);
  }

  private long[] acquire(String reason, int times) {
    long[] out = new long[times];
    for (int i = 0; i < times; i++) {
      out[i] = limiter.acquire(reason);
    }
    return out;
  }
}
