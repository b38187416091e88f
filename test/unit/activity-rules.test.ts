// The audit's activity rules at their boundaries: a new source, many sources, refused attempts
// with a dead key, a use after the suspected exposure. Each reads the key's use (KeyUse) and the
// policy's window and limits.
import { describe, expect, it } from 'vitest';
import {
  type AuditPolicy,
  blankFacts,
  checkKey,
  DEFAULT_AUDIT_POLICY,
  type KeyFacts,
  RULES,
  type RuleId,
} from '../../src/shared/audit';
import { DAY_MS } from '../../src/shared/utc-time';

const now = Date.parse('2026-06-01T12:00:00Z');
const policy: AuditPolicy = { ...DEFAULT_AUDIT_POLICY, recentUseDays: 7, maxSources: 10, refusedAttempts: 3 };

function found(facts: Partial<KeyFacts>, with_ = policy): Partial<Record<RuleId, number>> {
  const key: KeyFacts = {
    ...blankFacts(),
    createdAt: now - 30 * DAY_MS,
    lastUsedAt: now,
    expiresAt: now + 30 * DAY_MS,
    label: 'Billing worker',
    ...facts,
  };
  const out: Partial<Record<RuleId, number>> = {};
  checkKey(key, with_, now, (rule, n) => {
    const id = RULES[rule] as RuleId;
    if (['new_source', 'many_sources', 'refused_attempts', 'used_after_exposure'].includes(id)) out[id] = n;
  });
  return out;
}

describe('activity rules', () => {
  it('a new source: first seen after the key’s first one, within the window', () => {
    const first = now - 60 * DAY_MS;
    expect(found({ firstSourceAt: first, newestSourceAt: now - 7 * DAY_MS })).toEqual({ new_source: 7 });
    expect(found({ firstSourceAt: first, newestSourceAt: now - 7 * DAY_MS - 1 })).toEqual({});
    expect(found({ firstSourceAt: first, newestSourceAt: now })).toEqual({ new_source: 0 });
    // The key's only source (or several first seen together) is not new.
    expect(found({ firstSourceAt: now - DAY_MS, newestSourceAt: now - DAY_MS })).toEqual({});
    expect(found({ firstSourceAt: first, newestSourceAt: now - 2 * DAY_MS }, { ...policy, recentUseDays: 1 })).toEqual(
      {},
    );
    // A revoked key's new sources are refused attempts, judged by that rule.
    expect(found({ revoked: true, revokedAt: now - DAY_MS, firstSourceAt: first, newestSourceAt: now })).toEqual({});
  });

  it('many sources: more than the policy allows', () => {
    expect(found({ recentSources: 10 })).toEqual({});
    expect(found({ recentSources: 11 })).toEqual({ many_sources: 11 });
    expect(found({ recentSources: 11 }, { ...policy, maxSources: 11 })).toEqual({});
  });

  it('refused attempts: at least the policy’s count, revoked or expired alike', () => {
    expect(found({ revoked: true, revokedAt: now - DAY_MS, refusedAttempts: 2 })).toEqual({});
    expect(found({ revoked: true, revokedAt: now - DAY_MS, refusedAttempts: 3 })).toEqual({ refused_attempts: 3 });
    expect(found({ expiresAt: now - DAY_MS, refusedAttempts: 40 })).toEqual({ refused_attempts: 40 });
  });

  it('used after its suspected exposure: critical while the key is live', () => {
    const exposedAt = now - 3 * DAY_MS;
    expect(found({ exposedAt, lastUsedAt: now - DAY_MS })).toEqual({ used_after_exposure: 1 });
    expect(found({ exposedAt, lastUsedAt: exposedAt })).toEqual({});
    expect(found({ exposedAt, lastUsedAt: null })).toEqual({});
    expect(found({ exposedAt, revoked: true, revokedAt: now - DAY_MS, lastUsedAt: null })).toEqual({});
  });

  it('finds nothing without a logged use or an exposure', () => {
    expect(found({})).toEqual({});
  });
});
