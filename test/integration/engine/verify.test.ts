import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/shared/key-format';
import { ManualTimers } from '../../support/clock';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

/** What the store holds, without the uses still waiting to be written. */
const lastUsedOnDisk = async (id: string) => (await f.engine.store.keys.get(id))?.last_used_at ?? null;

describe('verify', () => {
  it('accepts a valid key for its own account and returns key and account', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Service key' }, admin);
    expect(await f.engine.verify(secret)).toEqual({
      ok: true,
      key: { id: key.id, account_id: f.rootId, partial_key: key.partial_key },
      account_id: f.rootId,
    });
  });

  it('fails malformed, unknown (same for unknown id and wrong secret), revoked and expired', async () => {
    const { key, secret } = await f.engine.createKey(
      f.rootId,
      { label: 'Service key', expires_at: '2026-06-02T12:00:00Z' },
      admin,
    );
    expect(await f.engine.verify('sk-nothex00.abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(await f.engine.verify(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    // A well-formed key whose public id does not exist, and one whose secret is wrong.
    const other = await f.engine.createKey(f.rootId, { label: 'Other key' }, admin);
    await f.engine.deleteKey(null, other.key.id, admin);
    expect(await f.engine.verify(other.secret)).toEqual({ ok: false, reason: 'unknown' });
    const wrongSecret = `${key.partial_key}${other.secret.slice(11)}`;
    const forged = await f.engine.verify(wrongSecret);
    expect(forged.ok ? 'ok' : forged.reason).toMatch(/^(malformed|unknown)$/);

    await f.engine.revokeKey(null, key.id, admin);
    expect(await f.engine.verify(secret)).toEqual({ ok: false, reason: 'revoked', keyId: key.id });
    await f.engine.reactivateKey(null, key.id, admin);
    f.clock.advanceDays(1);
    expect(await f.engine.verify(secret)).toEqual({ ok: false, reason: 'expired', keyId: key.id });
  });

  it('answers unknown for a checksummed key with the right public id and a wrong secret', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Target key' }, admin);
    // Same public id, fresh secret and a valid checksum: only the hash comparison can reject it.
    const impostor = generateKey(key.partial_key.slice(3), (size) => new Uint8Array(size).fill(9));
    expect(await f.engine.verify(impostor)).toEqual({ ok: false, reason: 'unknown', keyId: key.id });
  });

  it('applies the scope rules: parent reaches subaccounts; a subaccount key reaches neither parent nor sibling', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const us = await f.engine.createSubaccount(f.rootId, { name: 'US' });
    const euDev = await f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const parentKey = (await f.engine.createKey(f.rootId, { label: 'Parent key' }, admin)).secret;
    const euKey = (await f.engine.createKey(eu.id, { label: 'EU key' }, admin)).secret;

    expect(await f.engine.verify(parentKey, eu.id)).toMatchObject({ ok: true, account_id: eu.id });
    expect(await f.engine.verify(parentKey, euDev.id)).toMatchObject({ ok: true, account_id: euDev.id });
    expect(await f.engine.verify(euKey, euDev.id)).toMatchObject({ ok: true });
    expect(await f.engine.verify(euKey, f.rootId)).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await f.engine.verify(euKey, us.id)).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await f.engine.verify(euKey, 'acc_0000000000000000')).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('fails account_inactive when the target or an account above it is inactive', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const euDev = await f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const parentKey = (await f.engine.createKey(f.rootId, { label: 'Parent key' }, admin)).secret;
    const devKey = (await f.engine.createKey(euDev.id, { label: 'Dev key' }, admin)).secret;
    await f.engine.updateAccount(eu.id, { status: 'inactive' });
    expect(await f.engine.verify(parentKey, eu.id)).toMatchObject({ ok: false, reason: 'account_inactive' });
    expect(await f.engine.verify(devKey)).toMatchObject({ ok: false, reason: 'account_inactive' });
    expect(await f.engine.verify(parentKey, f.rootId)).toMatchObject({ ok: true });
    await f.engine.updateAccount(eu.id, { status: 'active' });
    expect(await f.engine.verify(devKey)).toMatchObject({ ok: true });
  });

  it('remembers an unknown id like a known one, and forgets it when a key takes that id', async () => {
    // Randomness that makes the next public id abcdef01 (ids are 4 random bytes; the rest is a CSPRNG).
    let next: number[] | null = null;
    const random = (size: number) => {
      if (size === 4 && next) {
        const bytes = Buffer.from(next);
        next = null;
        return bytes;
      }
      return randomBytes(size);
    };
    const engine = await f.reopen({ random });
    const probe = generateKey('abcdef01', randomBytes);
    expect(await engine.verify(probe)).toEqual({ ok: false, reason: 'unknown' });
    expect(await engine.verify(probe)).toEqual({ ok: false, reason: 'unknown' }); // now from the cache
    next = [0xab, 0xcd, 0xef, 0x01];
    const created = await engine.createKey(f.rootId, { label: 'Takes the id' }, admin);
    expect(created.key.partial_key).toBe('sk-abcdef01');
    expect(await engine.verify(created.secret)).toMatchObject({ ok: true });
    expect(await engine.verify(probe)).toEqual({ ok: false, reason: 'unknown', keyId: created.key.id }); // a wrong secret for it
  });

  it('never serves a stale cache after revoke, delete or an expiration change', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Cached key' }, admin);
    expect((await f.engine.verify(secret)).ok).toBe(true); // now cached
    await f.engine.revokeKey(null, key.id, admin);
    expect(await f.engine.verify(secret)).toEqual({ ok: false, reason: 'revoked', keyId: key.id });
    await f.engine.reactivateKey(null, key.id, admin);
    expect((await f.engine.verify(secret)).ok).toBe(true);
    await f.engine.updateKey(null, key.id, { expires_at: '2026-06-01T12:00:01Z' }, admin);
    f.clock.advance(1000);
    expect(await f.engine.verify(secret)).toEqual({ ok: false, reason: 'expired', keyId: key.id });
    await f.engine.updateKey(null, key.id, { expires_at: null }, admin);
    expect((await f.engine.verify(secret)).ok).toBe(true);
    await f.engine.deleteKey(null, key.id, admin);
    expect(await f.engine.verify(secret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it("moves the change token with another process's key and account changes, never with its usage writes", async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Shared key' }, admin);
    const token = () => f.engine.store.changeTokenNow();
    const before = await token();
    const other = await f.another();
    try {
      // The other process uses the key and writes that down: the cache here stays valid.
      expect((await other.verify(secret)).ok).toBe(true);
      await other.flush();
      expect(await other.keyUsage(null, key.id, 1)).toEqual([{ day: '2026-06-01', count: 1, rate_limited: 0 }]);
      expect(await token()).toBe(before);
      await other.updateKey(null, key.id, { label: 'Renamed key' }, admin);
      const afterKey = await token();
      expect(afterKey).not.toBe(before);
      await other.createSubaccount(f.rootId, { name: 'EU' });
      expect(await token()).not.toBe(afterKey);
    } finally {
      await other.close();
    }
  });

  it('sees a revoke made by another process on the same file at once', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Shared key' }, admin);
    expect((await f.engine.verify(secret)).ok).toBe(true);
    const other = await f.another();
    await other.revokeKey(null, key.id, admin);
    await other.close();
    expect(await f.engine.verify(secret)).toEqual({ ok: false, reason: 'revoked', keyId: key.id });
  });
});

describe('last used and daily usage (write-behind)', () => {
  it('keeps the counts of a batch that failed to write, and a later flush writes them before it settles', async () => {
    const first = await f.engine.createKey(f.rootId, { label: 'Used yesterday' }, admin);
    const second = await f.engine.createKey(f.rootId, { label: 'Used today' }, admin);
    await f.engine.verify(first.secret);
    await f.engine.verify(first.secret);
    const { store } = f.engine;
    const transaction = store.transaction.bind(store);
    // The next write fails a moment after it starts (say the disk is full), later ones succeed.
    store.transaction = (() => {
      store.transaction = transaction;
      return new Promise((_, reject) => setTimeout(() => reject(new Error('disk full')), 20));
    }) as typeof store.transaction;
    f.clock.advanceDays(1);
    await f.engine.verify(second.secret); // a new day: yesterday's batch is written now, and fails
    await f.engine.flush(); // today's batch, and yesterday's again
    expect(await lastUsedOnDisk(first.key.id)).toBe(Date.parse('2026-06-01T12:00:00.000Z'));
    // Counted once, on the day of the flush that wrote them (docs/platform.md).
    const days = await f.engine.keyUsage(null, first.key.id, 2);
    expect(days.reduce((sum, day) => sum + day.count, 0)).toBe(2);
    expect((await f.engine.keyUsage(null, second.key.id, 1))[0]?.count).toBe(1);
  });

  it('shows a use while the write of it is under way (a new UTC day starts one in the background)', async () => {
    const first = await f.engine.createKey(f.rootId, { label: 'Used yesterday' }, admin);
    const second = await f.engine.createKey(f.rootId, { label: 'Used today' }, admin);
    await f.engine.verify(first.secret); // counted, waiting for the flush
    f.clock.advanceDays(1);
    await f.engine.verify(second.secret); // a new day: yesterday's count starts its write now
    // Read at once, while that write may still be going on.
    const [listed, got] = await Promise.all([f.engine.listKeys(f.rootId, {}), f.engine.getKey(null, first.key.id)]);
    expect(got.last_used_at).toBe('2026-06-01T12:00:00.000Z');
    expect(listed.data.find((key) => key.id === first.key.id)?.last_used_at).toBe('2026-06-01T12:00:00.000Z');
    await f.engine.flush();
    expect(await lastUsedOnDisk(first.key.id)).toBe(Date.parse('2026-06-01T12:00:00.000Z'));
  });

  it('records only successful verifications, in memory until the flush, then on disk', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Busy key' }, admin);
    await f.engine.verify(`${secret.slice(0, 12)}${secret[12] === 'x' ? 'y' : 'x'}${secret.slice(13)}`); // fails: not counted
    f.clock.advance(10_000);
    await f.engine.verify(secret);
    await f.engine.verify(secret);
    expect(await lastUsedOnDisk(key.id)).toBeNull(); // nothing written per call
    expect((await f.engine.getKey(null, key.id)).last_used_at).toBe('2026-06-01T12:00:10.000Z'); // reads see it
    await f.engine.flush();
    expect(await lastUsedOnDisk(key.id)).toBe(Date.parse('2026-06-01T12:00:10.000Z'));
    expect(await f.engine.keyUsage(null, key.id, 3)).toEqual([
      { day: '2026-05-30', count: 0, rate_limited: 0 },
      { day: '2026-05-31', count: 0, rate_limited: 0 },
      { day: '2026-06-01', count: 2, rate_limited: 0 },
    ]);
  });

  it('counts per UTC day across midnight and never moves last used backwards', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Night key' }, admin);
    f.clock.set('2026-06-01T23:59:59.999Z');
    await f.engine.verify(secret);
    f.clock.set('2026-06-02T00:00:00.000Z');
    await f.engine.verify(secret);
    await f.engine.verify(secret);
    await f.engine.flush();
    // Another writer with an older time (a late batch from another process) cannot move it back.
    const older = await f.another({ clock: { now: () => Date.parse('2026-06-01T13:00:00Z') } });
    await older.verify(secret);
    await older.close();
    expect((await f.engine.getKey(null, key.id)).last_used_at).toBe('2026-06-02T00:00:00.000Z');
    expect(await f.engine.keyUsage(null, key.id, 2)).toEqual([
      { day: '2026-06-01', count: 2, rate_limited: 0 },
      { day: '2026-06-02', count: 2, rate_limited: 0 },
    ]);
  });

  it('flushes on close, so nothing counted is lost', async () => {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: 'Closing key' }, admin);
    await f.engine.verify(secret);
    const reopened = await f.reopen();
    expect((await reopened.getKey(null, key.id)).last_used_at).toBe('2026-06-01T12:00:00.000Z');
  });

  it('flushes on its own timer once started, and never starts a timer before', async () => {
    const timers = new ManualTimers();
    const timed = await f.another({ flushIntervalMs: 1000, timers });
    const { key, secret } = await timed.createKey(f.rootId, { label: 'Timed key' }, admin);
    const lastUsed = async () => (await timed.store.keys.get(key.id))?.last_used_at;
    expect(timers.count).toBe(0); // opening does no work beyond the database
    timed.start();
    await timed.verify(secret);
    timers.advance(999);
    expect(await lastUsed()).toBeNull();
    timers.advance(1);
    // The timer started the write; it lands a few round trips later on PostgreSQL.
    await expect.poll(lastUsed).toBe(f.clock.now());
    await timed.close();
    expect(timers.count).toBe(0);
  });

  it('does not record anything with tracking off, and drops pending usage of a deleted key', async () => {
    const off = await f.reopen({ trackUsage: false });
    const { key, secret } = await off.createKey(f.rootId, { label: 'Quiet key' }, admin);
    await off.verify(secret);
    await off.flush();
    expect((await off.getKey(null, key.id)).last_used_at).toBeNull();

    const on = await f.reopen();
    const doomed = await on.createKey(f.rootId, { label: 'Doomed key' }, admin);
    await on.verify(doomed.secret);
    await on.deleteKey(null, doomed.key.id, admin);
    await expect(on.flush()).resolves.toBeUndefined();
  });

  it('refuses a usage window outside 1..366 days by name', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Window key' }, admin);
    await expect(f.engine.keyUsage(null, key.id, 0)).rejects.toThrow(/^days: /);
    await expect(f.engine.keyUsage(null, key.id, 400)).rejects.toThrow(/^days: /);
  });
});
