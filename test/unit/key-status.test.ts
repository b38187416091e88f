import { describe, expect, it } from 'vitest';
import { blankFacts, breaksRule, DEFAULT_AUDIT_POLICY, type KeyFacts, type KeyRuleId } from '../../src/shared/audit';
import { deriveStatus } from '../../src/shared/key-status';
import { DAY_MS } from '../../src/shared/utc-time';

const now = Date.parse('2026-06-01T12:00:00Z');

describe('status', () => {
  it('is revoked whatever the expiration, expired at and after the expiration instant, active before', () => {
    expect(deriveStatus({ stored: 'revoked', expiresAt: now - 1, lastUsedAt: null }, now)).toBe('revoked');
    expect(deriveStatus({ stored: 'active', expiresAt: now, lastUsedAt: null }, now)).toBe('expired');
    expect(deriveStatus({ stored: 'active', expiresAt: now + 1, lastUsedAt: null }, now)).toBe('active');
    expect(deriveStatus({ stored: 'active', expiresAt: null, lastUsedAt: null }, now)).toBe('active');
  });
});

describe('key rules at their boundaries', () => {
  const key = (facts: Partial<KeyFacts>): KeyFacts => ({
    ...blankFacts(),
    revoked: false,
    createdAt: now - 400 * DAY_MS,
    lastUsedAt: now,
    expiresAt: now + 365 * DAY_MS,
    revokedAt: null,
    label: 'Billing worker',
    environment: 3,
    parentAccount: false,
    ...facts,
  });
  const breaks = (rule: KeyRuleId, facts: Partial<KeyFacts>, policy = DEFAULT_AUDIT_POLICY) =>
    breaksRule(rule, key(facts), policy, now);

  it('never used only after the grace period', () => {
    expect(breaks('never_used', { lastUsedAt: null, createdAt: now - 7 * DAY_MS })).toBe(false);
    expect(breaks('never_used', { lastUsedAt: null, createdAt: now - 7 * DAY_MS - 1 })).toBe(true);
  });

  it('unused only once last use is more than 90 days old', () => {
    expect(breaks('unused', { lastUsedAt: now - 90 * DAY_MS })).toBe(false);
    expect(breaks('unused', { lastUsedAt: now - 90 * DAY_MS - 1 })).toBe(true);
  });

  it('expiring within 7 days (inclusive), expired from the instant itself', () => {
    expect(breaks('expiring', { expiresAt: now + 7 * DAY_MS })).toBe(true);
    expect(breaks('expiring', { expiresAt: now + 7 * DAY_MS + 1 })).toBe(false);
    expect(breaks('expired', { expiresAt: now })).toBe(true);
    expect(breaks('expiring', { expiresAt: now })).toBe(false);
  });

  it('time rules skip revoked keys, which go stale after the retention period', () => {
    const revoked = { revoked: true, lastUsedAt: null, expiresAt: now - DAY_MS };
    expect(breaks('never_used', revoked)).toBe(false);
    expect(breaks('expired', revoked)).toBe(false);
    expect(breaks('revoked_stale', { ...revoked, revokedAt: now - 30 * DAY_MS })).toBe(false);
    expect(breaks('revoked_stale', { ...revoked, revokedAt: now - 30 * DAY_MS - 1 })).toBe(true);
  });

  it('no expiration: on a parent account first, else on a production key', () => {
    expect(breaks('no_expiration_parent', { expiresAt: null, parentAccount: true, environment: 0 })).toBe(true);
    expect(breaks('no_expiration_production', { expiresAt: null, parentAccount: true, environment: 0 })).toBe(false);
    expect(breaks('no_expiration_production', { expiresAt: null, environment: 0 })).toBe(true);
    expect(breaks('no_expiration_production', { expiresAt: null, environment: 1 })).toBe(false);
  });

  it('rotation by environment, and every number from the policy', () => {
    expect(breaks('rotation_overdue', { environment: 0, createdAt: now - 90 * DAY_MS })).toBe(false);
    expect(breaks('rotation_overdue', { environment: 0, createdAt: now - 90 * DAY_MS - 1 })).toBe(true);
    expect(breaks('rotation_overdue', { environment: 3 })).toBe(false);
    const policy = { ...DEFAULT_AUDIT_POLICY, unusedDays: 30, expiringDays: 14 };
    expect(breaks('unused', { lastUsedAt: now - 31 * DAY_MS }, policy)).toBe(true);
    expect(breaks('expiring', { expiresAt: now + 10 * DAY_MS }, policy)).toBe(true);
  });

  it('vague labels whatever the status', () => {
    expect(breaks('vague_label', { label: 'API Key 1', revoked: true })).toBe(true);
    expect(breaks('vague_label', { label: 'Billing worker' })).toBe(false);
  });
});

describe('isoToMs', () => {
  it('agrees with Date.parse on the platform form and falls back for any other', async () => {
    const { isoToMs } = await import('../../src/shared/utc-time');
    for (const ms of [0, 1, 951_782_400_000, Date.parse('2026-12-31T23:59:59.999Z'), Date.now()]) {
      const iso = new Date(ms).toISOString();
      expect(isoToMs(iso)).toBe(ms);
    }
    expect(isoToMs('2026-07-01T14:00:00+02:00')).toBe(Date.parse('2026-07-01T12:00:00Z'));
    expect(isoToMs('2026-07-01T12:00:00Z')).toBe(Date.parse('2026-07-01T12:00:00Z'));
  });
});
