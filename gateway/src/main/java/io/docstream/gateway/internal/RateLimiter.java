package io.docstream.gateway.internal;

/** A token bucket: {@code perSecond} tokens a second, holding at most {@code perSecond}. */
final class RateLimiter {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  RateLimiter(int perSecond, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = perSecond;
    this.tokens = perSecond;
    this.lastNanos = nowNanos;
  }

  boolean tryAcquire(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * perNano);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
