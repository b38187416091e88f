// engine.authenticate: one call decides a request's admission (key, reach, rate limit), on the
// real store. The confirming limiter below is the SQLite counterpart of PostgreSQL's shared one:
// real token buckets whose answer carries the store's change token, read after the take began.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthenticateOptions } from '../../../src/platform/authenticate';
import { type KeyLimiter, TokenBuckets } from '../../../src/platform/rate-limit/token-buckets';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

const policy = { name: 'key', capacity: 2, refillPerSecond: 1 };
const at = (options: Partial<AuthenticateOptions> = {}): AuthenticateOptions => ({
  since: performance.now(),
  ...options,
});

/** Token buckets that also read the store's change token on each take, as PostgreSQL's do. */
function confirmingLimiter(): KeyLimiter & { takes: number } {
  const buckets = new TokenBuckets(policy, f.clock);
  const limiter = {
    policy,
    confirmsChanges: true,
    takes: 0,
    take: async (id: string) => {
      limiter.takes++;
      const askedAt = performance.now();
      const token = String(await f.engine.store.changeTokenNow());
      return { ...buckets.take(id), changeToken: { token, askedAt } };
    },
    refund: (id: string) => buckets.refund(id),
  };
  return limiter;
}

describe('authenticate', () => {
  it('admits a valid key on its account with its allowance, and counts the call as a use', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Service key' }, admin);
    const limiter = new TokenBuckets(policy, f.clock);
    const decision = await f.engine.authenticate(secret, null, at({ limiter }));
    expect(decision).toEqual({
      ok: true,
      key: { id: key.id, account_id: f.rootId, partial_key: key.partial_key },
      accountId: f.rootId,
      allowance: { allowed: true, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0 },
    });
    expect(await f.engine.keyUsage(null, key.id, 1)).toEqual([{ day: '2026-06-01', count: 1, rate_limited: 0 }]);
  });

  it('refuses over the rate limit with the key and its allowance, counted as limited and not as a use', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Service key' }, admin);
    const limiter = new TokenBuckets(policy, f.clock);
    await f.engine.authenticate(secret, null, at({ limiter }));
    await f.engine.authenticate(secret, null, at({ limiter }));
    const refused = await f.engine.authenticate(secret, null, at({ limiter }));
    expect(refused).toMatchObject({ ok: false, reason: 'rate_limited', key: { id: key.id } });
    expect(refused.ok === false && refused.reason === 'rate_limited' && refused.allowance.retryAfterSeconds).toBe(1);
    expect(await f.engine.keyUsage(null, key.id, 1)).toEqual([{ day: '2026-06-01', count: 2, rate_limited: 1 }]);
  });

  it('takes no token for a refused key: a wrong secret, a revoked key, a target out of reach', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const { key, secret } = await f.engine.createKey(eu.id, { label: 'EU key' }, admin);
    const limiter = confirmingLimiter();
    expect(await f.engine.authenticate(`${secret.slice(0, -1)}?`, null, at({ limiter }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(await f.engine.authenticate(secret, f.rootId, at({ limiter }))).toEqual({
      ok: false,
      reason: 'forbidden',
      keyId: key.id,
    });
    await f.engine.revokeKey(null, key.id, admin);
    expect(await f.engine.authenticate(secret, null, at({ limiter }))).toEqual({
      ok: false,
      reason: 'revoked',
      keyId: key.id,
    });
    expect(limiter.takes).toBe(0);
    expect(await f.engine.keyUsage(null, key.id, 1)).toEqual([{ day: '2026-06-01', count: 0, rate_limited: 0 }]);
  });

  it('reaches an inactive account below the key only where the route allows it (reactivation)', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const us = await f.engine.createSubaccount(f.rootId, { name: 'US' });
    const euDev = await f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const { secret: rootKey } = await f.engine.createKey(f.rootId, { label: 'Root key' }, admin);
    const { secret: euKey } = await f.engine.createKey(eu.id, { label: 'EU key' }, admin);
    await f.engine.updateAccount(euDev.id, { status: 'inactive' });

    expect(await f.engine.authenticate(rootKey, euDev.id, at())).toMatchObject({
      ok: false,
      reason: 'account_inactive',
    });
    expect(await f.engine.authenticate(rootKey, euDev.id, at({ inactiveTargetAllowed: true }))).toMatchObject({
      ok: true,
      accountId: euDev.id,
      allowance: null,
    });
    expect(await f.engine.authenticate(euKey, euDev.id, at({ inactiveTargetAllowed: true }))).toMatchObject({
      ok: true,
    });
    // Allowed to act on an inactive account, never on one out of reach, nor with a key whose own account is inactive.
    expect(await f.engine.authenticate(euKey, us.id, at({ inactiveTargetAllowed: true }))).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    expect(
      await f.engine.authenticate(euKey, 'acc_0000000000000000', at({ inactiveTargetAllowed: true })),
    ).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    await f.engine.updateAccount(eu.id, { status: 'inactive' });
    expect(await f.engine.authenticate(euKey, euDev.id, at({ inactiveTargetAllowed: true }))).toMatchObject({
      ok: false,
      reason: 'account_inactive',
    });
  });

  it('with a limiter that reads the change token, sees another process revoke at once, in that same round trip', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Shared key' }, admin);
    const limiter = confirmingLimiter();
    expect((await f.engine.authenticate(secret, null, at({ limiter }))).ok).toBe(true);
    const other = await f.another();
    await other.revokeKey(null, key.id, admin);
    await other.close();
    // The cache still says valid; the take's change token shows the revoke, so the answer is asked again.
    expect(await f.engine.authenticate(secret, null, at({ limiter }))).toEqual({
      ok: false,
      reason: 'revoked',
      keyId: key.id,
    });
  });

  it('with a limiter that reads the change token, admits a key made by another process (a refusal is never provisional)', async () => {
    const limiter = confirmingLimiter();
    const { secret: warm } = await f.engine.createKey(f.rootId, { label: 'Warm key' }, admin);
    expect((await f.engine.authenticate(warm, null, at({ limiter }))).ok).toBe(true);
    const other = await f.another();
    const { key, secret } = await other.createKey(f.rootId, { label: 'Made elsewhere' }, admin);
    await other.close();
    expect(await f.engine.authenticate(secret, null, at({ limiter }))).toMatchObject({ ok: true, key: { id: key.id } });
  });
});
