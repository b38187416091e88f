import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIT_POLICY, type KeyRuleId } from '../../../src/shared/audit';
import type { ApiKey } from '../../../src/shared/domain';
import { type KeyColumns, keysOfColumns } from '../../../src/shared/key-columns';
import { KEY_SORTS } from '../../../src/shared/schemas';
import { admin, type EngineFixture, openTestEngine, snapshot } from '../../support/engine';

const DAY = 86_400_000;
let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

const inDays = (days: number) => new Date(f.clock.now() + days * DAY).toISOString();

describe('create and get', () => {
  it('creates an active key, returns the full key once, and stores only metadata', async () => {
    const { key, secret } = await f.engine.createKey(
      f.rootId,
      { label: '  Production billing  ', expires_at: inDays(90) },
      admin,
    );
    expect(secret.startsWith(`${key.partial_key}.`)).toBe(true);
    expect(key).toEqual({
      id: expect.stringMatching(/^key_[0-9a-f]{16}$/),
      account_id: f.rootId,
      label: 'Production billing',
      partial_key: expect.stringMatching(/^sk-[0-9a-f]{8}$/),
      status: 'active',
      created_at: '2026-06-01T12:00:00.000Z',
      updated_at: '2026-06-01T12:00:00.000Z',
      last_used_at: null,
      expires_at: '2026-08-30T12:00:00.000Z',
      revoked_at: null,
      deletes_at: null,
    });
    expect(await f.engine.getKey(null, key.id)).toEqual(key);
    expect(JSON.stringify(await f.engine.getKey(null, key.id))).not.toContain(secret.split('.')[1]);
    expect((await f.engine.keyEvents(null, key.id)).map((event) => [event.type, event.actor])).toEqual([
      ['created', 'user:tester'],
    ]);
  });

  it('gives every key a distinct public id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 300; i++)
      ids.add((await f.engine.createKey(f.rootId, { label: `Key ${i}` }, admin)).key.partial_key);
    expect(ids.size).toBe(300);
  });

  it('retries a public id that is taken, and never reuses the id of a deleted key', async () => {
    const ids = ['aaaaaaaa', 'aaaaaaaa', 'bbbbbbbb', 'aaaaaaaa', 'bbbbbbbb', 'cccccccc'];
    let draw = 0;
    let other = 0;
    const random = (size: number) => {
      if (size !== 4) return new Uint8Array(size).fill(++other % 256);
      return Buffer.from(ids[draw++] ?? 'dddddddd', 'hex');
    };
    const scripted = await f.reopen({ random });
    const first = (await scripted.createKey(f.rootId, { label: 'First key' }, admin)).key;
    const second = (await scripted.createKey(f.rootId, { label: 'Second key' }, admin)).key;
    await scripted.deleteKey(null, second.id, admin);
    const third = (await scripted.createKey(f.rootId, { label: 'Third key' }, admin)).key;
    expect([first.partial_key, second.partial_key, third.partial_key]).toEqual([
      'sk-aaaaaaaa',
      'sk-bbbbbbbb',
      'sk-cccccccc',
    ]);
  });

  it.each([
    [{ label: '' }, /^label: must not be empty$/],
    [{ label: '   ' }, /^label: must not be empty$/],
    [{ label: 'x'.repeat(101) }, /^label: must be at most 100 characters$/],
    [
      { label: 'tab\there' },
      /^label: must not contain invisible, control or bidi characters \(U\+0009 at character 4\)$/,
    ],
    [
      { label: 'csi\u009b31m red' },
      /^label: must not contain invisible, control or bidi characters \(U\+009B at character 4\)$/,
    ],
    [
      { label: 'invoice \u202etxt.exe' },
      /^label: must not contain invisible, control or bidi characters \(U\+202E at character 9\)$/,
    ],
    [
      { label: 'isolate \u2066x\u2069' },
      /^label: must not contain invisible, control or bidi characters \(U\+2066 at character 9\)$/,
    ],
    [{}, /^label: /],
    [{ label: 42 }, /^label: /],
    [{ label: 'Fine', expires_at: 'next week' }, /^expires_at: must be an ISO-8601 date-time/],
    [{ label: 'Fine', expires_at: '2026-06-01T12:00:00Z' }, /^expires_at: must be in the future$/],
    [{ label: 'Fine', expires_at: '2020-01-01T00:00:00Z' }, /^expires_at: must be in the future$/],
    [{ label: 'Fine', account_id: 'acc_other' }, /^request: Unrecognized key: "account_id"/],
  ])('refuses %j with an error naming the field, and changes nothing', async (input, message) => {
    const before = await snapshot(f.engine);
    await expect(f.engine.createKey(f.rootId, input, admin)).rejects.toThrow(message);
    try {
      await f.engine.createKey(f.rootId, input, admin);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request' });
    }
    expect(await snapshot(f.engine)).toBe(before);
  });

  it('refuses an unknown account or key as not_found', async () => {
    await expect(f.engine.createKey('acc_0000000000000000', { label: 'Orphan' }, admin)).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    await expect(f.engine.getKey(null, 'key_0000000000000000')).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    await expect(f.engine.getKey(null, '../etc')).rejects.toThrow(/^key_id: is not a valid id$/);
  });
});

describe('update', () => {
  it('edits the label and sets, extends and clears the expiration, recording old and new values', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Staging worker' }, admin);
    f.clock.advance(1000);
    const renamed = await f.engine.updateKey(null, key.id, { label: 'Staging queue worker' }, admin);
    expect(renamed).toMatchObject({ label: 'Staging queue worker', updated_at: '2026-06-01T12:00:01.000Z' });
    const set = await f.engine.updateKey(null, key.id, { expires_at: inDays(30) }, admin);
    const extended = await f.engine.updateKey(null, key.id, { expires_at: inDays(180) }, admin);
    expect(extended.expires_at).toBe(new Date(f.clock.now() + 180 * DAY).toISOString());
    const cleared = await f.engine.updateKey(null, key.id, { expires_at: null }, admin);
    expect(cleared.expires_at).toBeNull();
    expect(cleared.partial_key).toBe(key.partial_key);
    expect(cleared.account_id).toBe(key.account_id);

    const edits = (await f.engine.keyEvents(null, key.id)).filter((event) => event.type === 'edited');
    expect(edits.map((event) => event.changes)).toEqual([
      { label: { from: 'Staging worker', to: 'Staging queue worker' } },
      { expires_at: { from: null, to: set.expires_at } },
      { expires_at: { from: set.expires_at, to: extended.expires_at } },
      { expires_at: { from: extended.expires_at, to: null } },
    ]);
  });

  it('accepts a time zone offset and stores UTC', async () => {
    const { key } = await f.engine.createKey(
      f.rootId,
      { label: 'Offset key', expires_at: '2026-07-01T14:00:00+02:00' },
      admin,
    );
    expect(key.expires_at).toBe('2026-07-01T12:00:00.000Z');
  });

  it.each([
    [{}, /^request: give label, expires_at or deletes_at$/],
    [{ label: '' }, /^label: must not be empty$/],
    [{ expires_at: '2026-01-01T00:00:00Z' }, /^expires_at: must be in the future$/],
    [{ account_id: 'acc_x' }, /^request: Unrecognized key: "account_id"/],
    [{ partial_key: 'sk-00000000' }, /^request: Unrecognized key: "partial_key"/],
  ])('refuses %j and changes nothing', async (patch, message) => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Steady key' }, admin);
    const before = await snapshot(f.engine);
    await expect(f.engine.updateKey(null, key.id, patch, admin)).rejects.toThrow(message);
    expect(await snapshot(f.engine)).toBe(before);
  });

  it('does not record an edit that changes nothing', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Same label' }, admin);
    await f.engine.updateKey(null, key.id, { label: 'Same label' }, admin);
    expect((await f.engine.keyEvents(null, key.id)).map((event) => event.type)).toEqual(['created']);
  });
});

describe('status transitions', () => {
  it('active -> revoked -> active, with times and events', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Rotating key' }, admin);
    f.clock.advance(5000);
    const revoked = await f.engine.revokeKey(null, key.id, admin);
    expect(revoked).toMatchObject({ status: 'revoked', revoked_at: '2026-06-01T12:00:05.000Z' });
    await expect(f.engine.revokeKey(null, key.id, admin)).rejects.toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
    const back = await f.engine.reactivateKey(null, key.id, admin);
    expect(back).toMatchObject({ status: 'active', revoked_at: null });
    await expect(f.engine.reactivateKey(null, key.id, admin)).rejects.toThrow(/only revoked keys can be reactivated/);
    expect((await f.engine.keyEvents(null, key.id)).map((event) => event.type)).toEqual([
      'created',
      'revoked',
      'reactivated',
    ]);
  });

  it('active -> expired by the clock, with an expired event, and active again when extended', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Short lived', expires_at: inDays(1) }, admin);
    f.clock.advanceDays(1);
    expect((await f.engine.getKey(null, key.id)).status).toBe('expired');
    await f.engine.flush();
    await f.engine.flush();
    const expiredEvents = (await f.engine.keyEvents(null, key.id)).filter((event) => event.type === 'expired');
    expect(expiredEvents).toEqual([expect.objectContaining({ actor: 'system', at: '2026-06-02T12:00:00.000Z' })]);

    const extended = await f.engine.updateKey(null, key.id, { expires_at: inDays(30) }, admin);
    expect(extended.status).toBe('active');
    f.clock.advanceDays(31);
    await f.engine.flush();
    expect((await f.engine.keyEvents(null, key.id)).filter((event) => event.type === 'expired')).toHaveLength(2);
  });

  it('revoked stays revoked past its expiration; reactivated it reads expired', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Old key', expires_at: inDays(1) }, admin);
    await f.engine.revokeKey(null, key.id, admin);
    f.clock.advanceDays(2);
    expect((await f.engine.getKey(null, key.id)).status).toBe('revoked');
    expect((await f.engine.reactivateKey(null, key.id, admin)).status).toBe('expired');
  });

  it('delete is permanent and the history stays, with label and public id', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Doomed key' }, admin);
    await f.engine.deleteKey(null, key.id, admin);
    await expect(f.engine.getKey(null, key.id)).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    await expect(f.engine.deleteKey(null, key.id, admin)).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(
      (await f.engine.keyEvents(null, key.id)).map((event) => [event.type, event.key_label, event.partial_key]),
    ).toEqual([
      ['created', 'Doomed key', key.partial_key],
      ['deleted', 'Doomed key', key.partial_key],
    ]);
  });

  it('operations scoped to an account do not see keys of another', async () => {
    const sub = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const { key } = await f.engine.createKey(sub.id, { label: 'EU key' }, admin);
    await expect(f.engine.getKey(f.rootId, key.id)).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    await expect(f.engine.revokeKey(f.rootId, key.id, admin)).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect((await f.engine.getKey(sub.id, key.id)).id).toBe(key.id);
  });
});

describe("the flag filter follows the audit's key rules as the clock moves", () => {
  const flagged = async (flag: KeyRuleId) => (await f.engine.listKeys(null, { flag })).data.map((key) => key.label);

  it('never used after the grace period, unused, expiring, expired, and no expiration on a parent account', async () => {
    await f.engine.createSubaccount(f.rootId, { name: 'Child' }); // the root now reaches a subaccount
    const { key, secret } = await f.engine.createKey(
      f.rootId,
      { label: 'Watched key', expires_at: inDays(100) },
      admin,
    );
    expect(await flagged('never_used')).toEqual([]); // inside the 7-day grace period
    f.clock.advanceDays(8);
    expect(await flagged('never_used')).toEqual(['Watched key']);
    await f.engine.verify(secret);
    expect(await flagged('never_used')).toEqual([]);
    f.clock.advanceDays(85); // day 93: 7 days left, used 85 days ago
    expect(await flagged('expiring')).toEqual(['Watched key']);
    expect(await flagged('unused')).toEqual([]);
    f.clock.advanceDays(6); // day 99: used 91 days ago
    expect(await flagged('unused')).toEqual(['Watched key']);
    f.clock.advanceDays(1); // day 100: expired at the instant itself
    expect(await flagged('expired')).toEqual(['Watched key']);
    expect(await flagged('expiring')).toEqual([]);
    const cleared = await f.engine.updateKey(null, key.id, { expires_at: null }, admin);
    expect(cleared.expires_at).toBeNull();
    expect(await flagged('no_expiration_parent')).toEqual(['Watched key']);
    await f.engine.revokeKey(null, key.id, admin);
    expect(await flagged('no_expiration_parent')).toEqual([]); // time rules skip revoked keys
    expect(await flagged('unused')).toEqual([]);
    f.clock.advanceDays(31);
    expect(await flagged('revoked_stale')).toEqual(['Watched key']);
  });

  it('reads its numbers from the policy on every list', async () => {
    let policy = DEFAULT_AUDIT_POLICY;
    const engine = await f.reopen({ policy: () => policy });
    await engine.createKey(f.rootId, { label: 'Billing worker', expires_at: inDays(10) }, admin);
    expect((await engine.listKeys(null, { flag: 'expiring' })).data).toHaveLength(0);
    policy = { ...DEFAULT_AUDIT_POLICY, expiringDays: 14 };
    expect((await engine.listKeys(null, { flag: 'expiring' })).data).toHaveLength(1);
  });
});

describe('list', () => {
  async function seedTree() {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const us = await f.engine.createSubaccount(f.rootId, { name: 'US' });
    const euDev = await f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const made: Record<string, ApiKey> = {};
    const add = async (name: string, account: string, expires?: number) => {
      f.clock.advance(1000);
      made[name] = (
        await f.engine.createKey(account, { label: name, ...(expires ? { expires_at: inDays(expires) } : {}) }, admin)
      ).key;
    };
    await add('root production', f.rootId, 90);
    await add('eu production', eu.id, 5);
    await add('eu staging', eu.id);
    await add('eu dev laptop', euDev.id, 365);
    await add('us production', us.id, 30);
    return { eu, us, euDev, made };
  }
  const labels = (page: { data: ApiKey[] }) => page.data.map((key) => key.label);

  it('filters by account, with or without subaccounts, or across all accounts', async () => {
    const { eu } = await seedTree();
    expect(labels(await f.engine.listKeys(eu.id, { sort: 'label', order: 'asc' }))).toEqual([
      'eu production',
      'eu staging',
    ]);
    expect(labels(await f.engine.listKeys(eu.id, { include_subaccounts: true, sort: 'label', order: 'asc' }))).toEqual([
      'eu dev laptop',
      'eu production',
      'eu staging',
    ]);
    expect((await f.engine.listKeys(null)).data).toHaveLength(5);
    expect((await f.engine.listKeys(f.rootId, { include_subaccounts: true })).data).toHaveLength(5);
  });

  it('filters by derived status and by flag', async () => {
    const { made } = await seedTree();
    await f.engine.revokeKey(null, made['eu staging']?.id ?? '', admin);
    f.clock.advanceDays(6);
    expect(labels(await f.engine.listKeys(null, { status: 'expired' }))).toEqual(['eu production']);
    expect(labels(await f.engine.listKeys(null, { status: 'revoked' }))).toEqual(['eu staging']);
    expect((await f.engine.listKeys(null, { status: 'active' })).data).toHaveLength(3);
    // eu staging never expires on a parent account, but it is revoked: time rules skip it.
    expect(labels(await f.engine.listKeys(null, { flag: 'no_expiration_parent' }))).toEqual([]);
    expect(labels(await f.engine.listKeys(null, { flag: 'expired' }))).toEqual(['eu production']);
    expect((await f.engine.listKeys(null, { flag: 'never_used' })).data).toHaveLength(0); // 6 days: still in grace
    f.clock.advanceDays(20); // us production now has 4 days left
    expect(labels(await f.engine.listKeys(null, { flag: 'expiring' }))).toEqual(['us production']);
    expect((await f.engine.listKeys(null, { flag: 'never_used' })).data).toHaveLength(4); // all but the revoked one
  });

  it('searches label and partial key, case-insensitively, treating % and _ literally', async () => {
    const { made } = await seedTree();
    expect(labels(await f.engine.listKeys(null, { q: 'PRODUCTION', sort: 'label', order: 'asc' }))).toEqual([
      'eu production',
      'root production',
      'us production',
    ]);
    const partial = made['us production']?.partial_key ?? '';
    expect(labels(await f.engine.listKeys(null, { q: partial }))).toEqual(['us production']);
    expect(labels(await f.engine.listKeys(null, { q: partial.slice(3, 9) }))).toContain('us production');
    expect((await f.engine.listKeys(null, { q: '%' })).data).toEqual([]);
    expect((await f.engine.listKeys(null, { q: '_' })).data).toEqual([]);
  });

  it.each(KEY_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))(
    'pages through every key exactly once sorted by %s %s',
    async (sort, order) => {
      const { made } = await seedTree();
      // Give some keys a last use and some ties, so nulls and equal values cross page boundaries.
      await f.engine.verify((await f.engine.createKey(f.rootId, { label: 'eu production' }, admin)).secret);
      await f.engine.revokeKey(null, made['eu staging']?.id ?? '', admin);
      const all = (await f.engine.listKeys(null, { sort, order, limit: 1000 })).data;
      const paged: ApiKey[] = [];
      let cursor: string | undefined;
      do {
        const page = await f.engine.listKeys(null, { sort, order, limit: 2, ...(cursor ? { cursor } : {}) });
        paged.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(paged.map((key) => key.id)).toEqual(all.map((key) => key.id));
      expect(new Set(paged.map((key) => key.id)).size).toBe(6);
    },
  );

  it('orders as asked', async () => {
    await seedTree();
    expect(labels(await f.engine.listKeys(null, { sort: 'expires_at', order: 'asc' }))).toEqual([
      'eu production',
      'us production',
      'root production',
      'eu dev laptop',
      'eu staging',
    ]);
    expect(labels(await f.engine.listKeys(null, { sort: 'created_at', order: 'desc' }))[0]).toBe('us production');
  });

  it('refuses bad queries by field', async () => {
    await seedTree();
    await expect(f.engine.listKeys(null, { limit: 0 })).rejects.toThrow(/^limit: /);
    await expect(f.engine.listKeys(null, { status: 'dormant' })).rejects.toThrow(/^status: /);
    await expect(f.engine.listKeys(null, { flag: 'stale' })).rejects.toThrow(/^flag: /);
    // The values before the audit's rule ids are refused with the list of valid ones.
    await expect(f.engine.listKeys(null, { flag: 'no_expiration' })).rejects.toThrow(
      /^flag: .*"no_expiration_production"/,
    );
    await expect(f.engine.listKeys(null, { sort: 'secret' })).rejects.toThrow(/^sort: /);
    await expect(f.engine.listKeys(null, { cursor: 'garbage' })).rejects.toThrow(/^cursor: /);
    const cursor = (await f.engine.listKeys(null, { limit: 1 })).next_cursor ?? '';
    await expect(f.engine.listKeys(null, { limit: 1, cursor, sort: 'label' })).rejects.toThrow(
      /^cursor: belongs to another sort/,
    );
  });
});

describe('every key at once (keyColumnsJson)', () => {
  const everyKeyListed = async (accountId: string) => {
    const keys: ApiKey[] = [];
    let cursor: string | null = null;
    do {
      const page = await f.engine.listKeys(accountId, {
        include_subaccounts: true,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      keys.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return keys;
  };
  const byId = (keys: ApiKey[]) => [...keys].sort((a, b) => (a.id < b.id ? -1 : 1));

  it('holds exactly what the list pages hold, subaccounts included, with derived status and pending uses', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const euDev = await f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const revoked = (await f.engine.createKey(f.rootId, { label: 'old "quoted" \\ label' }, admin)).key;
    await f.engine.revokeKey(null, revoked.id, admin);
    await f.engine.createKey(eu.id, { label: 'expires soon', expires_at: inDays(1) }, admin);
    const used = await f.engine.createKey(euDev.id, { label: 'ünïcode ✓ label' }, admin);
    f.clock.advance(2 * DAY); // the first one is now expired
    expect((await f.engine.verify(used.secret)).ok).toBe(true); // a use not yet written to disk

    const columns = JSON.parse(await f.engine.keyColumnsJson(f.rootId)) as KeyColumns;
    const keys = keysOfColumns(columns);
    expect(byId(keys)).toEqual(byId(await everyKeyListed(f.rootId)));
    expect(keys.map((key) => key.status).sort()).toEqual(['active', 'expired', 'revoked']);
    expect(keys.find((key) => key.id === used.key.id)?.last_used_at).toBe(new Date(f.clock.now()).toISOString());
    // A subaccount's export holds only its own tree.
    expect(byId(keysOfColumns(JSON.parse(await f.engine.keyColumnsJson(eu.id)) as KeyColumns))).toEqual(
      byId(await everyKeyListed(eu.id)),
    );
  });

  it('is empty for an account without keys, and refuses an unknown account', async () => {
    expect(keysOfColumns(JSON.parse(await f.engine.keyColumnsJson(f.rootId)) as KeyColumns)).toEqual([]);
    await expect(f.engine.keyColumnsJson('acc_0000000000000000')).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('has a revision that moves with every change, made here or by another process, and only then', async () => {
    const first = await f.engine.revision();
    expect(await f.engine.revision()).toBe(first);
    const { key } = await f.engine.createKey(f.rootId, { label: 'one' }, admin);
    const second = await f.engine.revision();
    expect(second).not.toBe(first);
    await f.engine.listKeys(f.rootId, {});
    expect(await f.engine.revision()).toBe(second);
    const other = await f.another();
    try {
      await other.revokeKey(null, key.id, admin);
    } finally {
      await other.close();
    }
    expect(await f.engine.revision()).not.toBe(second);
  });
});
