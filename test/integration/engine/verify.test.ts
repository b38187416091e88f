import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyEngine } from '../../../src/platform/engine';
import { generateKey } from '../../../src/shared/key-format';
import { ManualTimers } from '../../support/clock';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

let f: EngineFixture;
beforeEach(() => {
  f = openTestEngine();
});
afterEach(() => f.cleanup());

const lastUsedOnDisk = (id: string) =>
  f.engine.db.prepare('SELECT last_used_at FROM api_keys WHERE id = ?').pluck().get(id) as number | null;

describe('verify', () => {
  it('accepts a valid key for its own account and returns key and account', () => {
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Service key' }, admin);
    expect(f.engine.verify(secret)).toEqual({
      ok: true,
      key: { id: key.id, account_id: f.rootId, partial_key: key.partial_key },
      account_id: f.rootId,
    });
  });

  it('fails malformed, unknown (same for unknown id and wrong secret), revoked and expired', () => {
    const { key, secret } = f.engine.createKey(
      f.rootId,
      { label: 'Service key', expires_at: '2026-06-02T12:00:00Z' },
      admin,
    );
    expect(f.engine.verify('sk-nothex00.abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(f.engine.verify(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    // A well-formed key whose public id does not exist, and one whose secret is wrong.
    const other = f.engine.createKey(f.rootId, { label: 'Other key' }, admin);
    f.engine.deleteKey(null, other.key.id, admin);
    expect(f.engine.verify(other.secret)).toEqual({ ok: false, reason: 'unknown' });
    const wrongSecret = `${key.partial_key}${other.secret.slice(11)}`;
    const forged = f.engine.verify(wrongSecret);
    expect(forged.ok ? 'ok' : forged.reason).toMatch(/^(malformed|unknown)$/);

    f.engine.revokeKey(null, key.id, admin);
    expect(f.engine.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
    f.engine.reactivateKey(null, key.id, admin);
    f.clock.advanceDays(1);
    expect(f.engine.verify(secret)).toEqual({ ok: false, reason: 'expired' });
  });

  it('answers unknown for a checksummed key with the right public id and a wrong secret', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Target key' }, admin);
    // Same public id, fresh secret and a valid checksum: only the hash comparison can reject it.
    const impostor = generateKey(key.partial_key.slice(3), (size) => new Uint8Array(size).fill(9));
    expect(f.engine.verify(impostor)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('applies the scope rules: parent reaches subaccounts; a subaccount key reaches neither parent nor sibling', () => {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const us = f.engine.createSubaccount(f.rootId, { name: 'US' });
    const euDev = f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const parentKey = f.engine.createKey(f.rootId, { label: 'Parent key' }, admin).secret;
    const euKey = f.engine.createKey(eu.id, { label: 'EU key' }, admin).secret;

    expect(f.engine.verify(parentKey, eu.id)).toMatchObject({ ok: true, account_id: eu.id });
    expect(f.engine.verify(parentKey, euDev.id)).toMatchObject({ ok: true, account_id: euDev.id });
    expect(f.engine.verify(euKey, euDev.id)).toMatchObject({ ok: true });
    expect(f.engine.verify(euKey, f.rootId)).toEqual({ ok: false, reason: 'forbidden' });
    expect(f.engine.verify(euKey, us.id)).toEqual({ ok: false, reason: 'forbidden' });
    expect(f.engine.verify(euKey, 'acc_0000000000000000')).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('fails account_inactive when the target or an account above it is inactive', () => {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const euDev = f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const parentKey = f.engine.createKey(f.rootId, { label: 'Parent key' }, admin).secret;
    const devKey = f.engine.createKey(euDev.id, { label: 'Dev key' }, admin).secret;
    f.engine.updateAccount(eu.id, { status: 'inactive' });
    expect(f.engine.verify(parentKey, eu.id)).toEqual({ ok: false, reason: 'account_inactive' });
    expect(f.engine.verify(devKey)).toEqual({ ok: false, reason: 'account_inactive' });
    expect(f.engine.verify(parentKey, f.rootId)).toMatchObject({ ok: true });
    f.engine.updateAccount(eu.id, { status: 'active' });
    expect(f.engine.verify(devKey)).toMatchObject({ ok: true });
  });

  it('remembers an unknown id like a known one, and forgets it when a key takes that id', () => {
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
    const engine = f.reopen({ random });
    const probe = generateKey('abcdef01', randomBytes);
    expect(engine.verify(probe)).toEqual({ ok: false, reason: 'unknown' });
    expect(engine.verify(probe)).toEqual({ ok: false, reason: 'unknown' }); // now from the cache
    next = [0xab, 0xcd, 0xef, 0x01];
    const created = engine.createKey(f.rootId, { label: 'Takes the id' }, admin);
    expect(created.key.partial_key).toBe('sk-abcdef01');
    expect(engine.verify(created.secret)).toMatchObject({ ok: true });
    expect(engine.verify(probe)).toEqual({ ok: false, reason: 'unknown' }); // a wrong secret for it
  });

  it('never serves a stale cache after revoke, delete or an expiration change', () => {
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Cached key' }, admin);
    expect(f.engine.verify(secret).ok).toBe(true); // now cached
    f.engine.revokeKey(null, key.id, admin);
    expect(f.engine.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
    f.engine.reactivateKey(null, key.id, admin);
    expect(f.engine.verify(secret).ok).toBe(true);
    f.engine.updateKey(null, key.id, { expires_at: '2026-06-01T12:00:01Z' }, admin);
    f.clock.advance(1000);
    expect(f.engine.verify(secret)).toEqual({ ok: false, reason: 'expired' });
    f.engine.updateKey(null, key.id, { expires_at: null }, admin);
    expect(f.engine.verify(secret).ok).toBe(true);
    f.engine.deleteKey(null, key.id, admin);
    expect(f.engine.verify(secret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('sees a revoke made by another process on the same file at once', () => {
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Shared key' }, admin);
    expect(f.engine.verify(secret).ok).toBe(true);
    const other = KeyEngine.open(f.file, { clock: f.clock, flushIntervalMs: 0 });
    other.revokeKey(null, key.id, admin);
    other.close();
    expect(f.engine.verify(secret)).toEqual({ ok: false, reason: 'revoked' });
  });
});

describe('last used and daily usage (write-behind)', () => {
  it('records only successful verifications, in memory until the flush, then on disk', () => {
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Busy key' }, admin);
    f.engine.verify(`${secret.slice(0, 12)}${secret[12] === 'x' ? 'y' : 'x'}${secret.slice(13)}`); // fails: not counted
    f.clock.advance(10_000);
    f.engine.verify(secret);
    f.engine.verify(secret);
    expect(lastUsedOnDisk(key.id)).toBeNull(); // nothing written per call
    expect(f.engine.getKey(null, key.id).last_used_at).toBe('2026-06-01T12:00:10.000Z'); // reads see it
    f.engine.flush();
    expect(lastUsedOnDisk(key.id)).toBe(Date.parse('2026-06-01T12:00:10.000Z'));
    expect(f.engine.keyUsage(null, key.id, 3)).toEqual([
      { day: '2026-05-30', count: 0, rate_limited: 0 },
      { day: '2026-05-31', count: 0, rate_limited: 0 },
      { day: '2026-06-01', count: 2, rate_limited: 0 },
    ]);
  });

  it('counts per UTC day across midnight and never moves last used backwards', () => {
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Night key' }, admin);
    f.clock.set('2026-06-01T23:59:59.999Z');
    f.engine.verify(secret);
    f.clock.set('2026-06-02T00:00:00.000Z');
    f.engine.verify(secret);
    f.engine.verify(secret);
    f.engine.flush();
    // Another writer with an older time (a late batch from another process) cannot move it back.
    const older = KeyEngine.open(f.file, {
      clock: { now: () => Date.parse('2026-06-01T13:00:00Z') },
      flushIntervalMs: 0,
    });
    older.verify(secret);
    older.close();
    expect(f.engine.getKey(null, key.id).last_used_at).toBe('2026-06-02T00:00:00.000Z');
    expect(f.engine.keyUsage(null, key.id, 2)).toEqual([
      { day: '2026-06-01', count: 2, rate_limited: 0 },
      { day: '2026-06-02', count: 2, rate_limited: 0 },
    ]);
  });

  it('flushes on close, so nothing counted is lost', () => {
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Closing key' }, admin);
    f.engine.verify(secret);
    const reopened = f.reopen();
    expect(reopened.getKey(null, key.id).last_used_at).toBe('2026-06-01T12:00:00.000Z');
  });

  it('flushes on its own timer once started, and never starts a timer before', () => {
    const timers = new ManualTimers();
    const timed = KeyEngine.open(`${f.file}-timed`, { clock: f.clock, flushIntervalMs: 1000, timers });
    const root = timed.ensureRootAccount('Timed');
    const { key, secret } = timed.createKey(root.id, { label: 'Timed key' }, admin);
    const lastUsed = () => timed.db.prepare('SELECT last_used_at FROM api_keys WHERE id = ?').pluck().get(key.id);
    expect(timers.count).toBe(0); // opening does no work beyond the database
    timed.start();
    timed.verify(secret);
    timers.advance(999);
    expect(lastUsed()).toBeNull();
    timers.advance(1);
    expect(lastUsed()).toBe(f.clock.now());
    timed.close();
    expect(timers.count).toBe(0);
  });

  it('does not record anything with tracking off, and drops pending usage of a deleted key', () => {
    const off = f.reopen({ trackUsage: false });
    const { key, secret } = off.createKey(f.rootId, { label: 'Quiet key' }, admin);
    off.verify(secret);
    off.flush();
    expect(off.getKey(null, key.id).last_used_at).toBeNull();

    const on = f.reopen();
    const doomed = on.createKey(f.rootId, { label: 'Doomed key' }, admin);
    on.verify(doomed.secret);
    on.deleteKey(null, doomed.key.id, admin);
    expect(() => on.flush()).not.toThrow();
  });

  it('refuses a usage window outside 1..366 days by name', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Window key' }, admin);
    expect(() => f.engine.keyUsage(null, key.id, 0)).toThrow(/^days: /);
    expect(() => f.engine.keyUsage(null, key.id, 400)).toThrow(/^days: /);
  });
});
