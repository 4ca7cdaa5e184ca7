export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 250, maxMs: 30000, factor: 2, jitter: 0.5 });

/**
 * The wait before reconnect attempt `attempt` (0 for the first): exponential growth capped at
 * maxMs, less a random share of up to `jitter` so that many clients dropped at once spread out.
 * Always within [cap * (1 - jitter), cap] where cap = min(maxMs, initialMs * factor^attempt).
 */
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const { initialMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const cap = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
  return cap * (1 - jitter * random());
}
