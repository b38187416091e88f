import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAG_POLICY } from '../../src/shared/domain';
import { DAY_MS, deriveFlags, deriveStatus } from '../../src/shared/key-rules';

const now = Date.parse('2026-06-01T12:00:00Z');

describe('status', () => {
  it('is revoked whatever the expiration, expired at and after the expiration instant, active before', () => {
    expect(deriveStatus({ stored: 'revoked', expiresAt: now - 1, lastUsedAt: null }, now)).toBe('revoked');
    expect(deriveStatus({ stored: 'active', expiresAt: now, lastUsedAt: null }, now)).toBe('expired');
    expect(deriveStatus({ stored: 'active', expiresAt: now + 1, lastUsedAt: null }, now)).toBe('active');
    expect(deriveStatus({ stored: 'active', expiresAt: null, lastUsedAt: null }, now)).toBe('active');
  });
});

describe('flags', () => {
  const flags = (expiresAt: number | null, lastUsedAt: number | null) =>
    deriveFlags({ stored: 'active', expiresAt, lastUsedAt }, DEFAULT_FLAG_POLICY, now);

  it('never used and no expiration', () => {
    expect(flags(null, null)).toEqual(['never_used', 'no_expiration']);
  });

  it('unused only once last use is more than 90 days old', () => {
    expect(flags(null, now - 90 * DAY_MS)).toEqual(['no_expiration']);
    expect(flags(null, now - 90 * DAY_MS - 1)).toEqual(['unused', 'no_expiration']);
  });

  it('expiring within 7 days (inclusive), expired from the instant itself', () => {
    expect(flags(now + 7 * DAY_MS, now)).toEqual(['expiring']);
    expect(flags(now + 7 * DAY_MS + 1, now)).toEqual([]);
    expect(flags(now, now)).toEqual(['expired']);
  });

  it('follows the policy numbers', () => {
    const policy = { unusedDays: 30, expiringDays: 14 };
    expect(
      deriveFlags({ stored: 'active', expiresAt: now + 10 * DAY_MS, lastUsedAt: now - 31 * DAY_MS }, policy, now),
    ).toEqual(['unused', 'expiring']);
  });
});

describe('isoToMs', () => {
  it('agrees with Date.parse on the platform form and falls back for any other', async () => {
    const { isoToMs } = await import('../../src/shared/key-rules');
    for (const ms of [0, 1, 951_782_400_000, Date.parse('2026-12-31T23:59:59.999Z'), Date.now()]) {
      const iso = new Date(ms).toISOString();
      expect(isoToMs(iso)).toBe(ms);
    }
    expect(isoToMs('2026-07-01T14:00:00+02:00')).toBe(Date.parse('2026-07-01T12:00:00Z'));
    expect(isoToMs('2026-07-01T12:00:00Z')).toBe(Date.parse('2026-07-01T12:00:00Z'));
  });
});
