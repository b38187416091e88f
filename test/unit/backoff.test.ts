import { describe, expect, it } from 'vitest';
import { type RetryPolicy, retryDelay } from '../../src/sdk/backoff';
import { parseRetryAfter } from '../../src/sdk/errors';

const policy: RetryPolicy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 3000 };

describe('backoff with full jitter', () => {
  it('draws from [0, min(cap, base * 2^attempt)]', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => retryDelay(policy, attempt, 0, null, () => 0.999999))).toEqual([
      expect.closeTo(100, 0),
      expect.closeTo(200, 0),
      expect.closeTo(400, 0),
      expect.closeTo(800, 0),
      expect.closeTo(1000, 0),
    ]);
    expect(retryDelay(policy, 3, 0, null, () => 0)).toBe(0);
  });

  it('stops after maxRetries and when the total time would be exceeded', () => {
    expect(retryDelay(policy, 5, 0, null, () => 0.5)).toBeNull();
    expect(retryDelay(policy, 1, 2950, null, () => 0.5)).toBeNull();
    expect(retryDelay(policy, 1, 2850, null, () => 0.5)).toBe(100);
  });

  it('honours Retry-After instead of the jitter, within the same budget', () => {
    expect(retryDelay(policy, 0, 0, 2, () => 0)).toBe(2000);
    expect(retryDelay(policy, 0, 1500, 2, () => 0)).toBeNull();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('Mon, 01 Jun 2026 12:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
