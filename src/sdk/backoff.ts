// Capped exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
// Jitter"): wait a random time in [0, min(cap, base * 2^attempt)], or what Retry-After asks.

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 200, maxDelayMs: 5000, maxTotalMs: 30_000 };

/** The wait before retry number `attempt` (0-based), or null when the budget does not allow one. */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number | null {
  if (attempt >= policy.maxRetries) return null;
  const delay =
    retryAfterSeconds !== null
      ? retryAfterSeconds * 1000
      : random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return elapsedMs + delay > policy.maxTotalMs ? null : delay;
}
