import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyEngine } from '../../../src/platform/engine';
import { DEFAULT_AUDIT_POLICY, type KeyRuleId } from '../../../src/shared/audit';
import type { ApiKey } from '../../../src/shared/domain';
import { type KeyColumns, keysOfColumns } from '../../../src/shared/key-columns';
import { KEY_SORTS } from '../../../src/shared/schemas';
import { admin, type EngineFixture, openTestEngine, snapshot } from '../../support/engine';

const DAY = 86_400_000;
let f: EngineFixture;
beforeEach(() => {
  f = openTestEngine();
});
afterEach(() => f.cleanup());

const inDays = (days: number) => new Date(f.clock.now() + days * DAY).toISOString();

describe('create and get', () => {
  it('creates an active key, returns the full key once, and stores only metadata', () => {
    const { key, secret } = f.engine.createKey(
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
    });
    expect(f.engine.getKey(null, key.id)).toEqual(key);
    expect(JSON.stringify(f.engine.getKey(null, key.id))).not.toContain(secret.split('.')[1]);
    expect(f.engine.keyEvents(null, key.id).map((event) => [event.type, event.actor])).toEqual([
      ['created', 'user:tester'],
    ]);
  });

  it('gives every key a distinct public id', () => {
    const ids = new Set(
      Array.from({ length: 300 }, (_, i) => f.engine.createKey(f.rootId, { label: `Key ${i}` }, admin).key.partial_key),
    );
    expect(ids.size).toBe(300);
  });

  it('retries a public id that is taken, and never reuses the id of a deleted key', () => {
    const ids = ['aaaaaaaa', 'aaaaaaaa', 'bbbbbbbb', 'aaaaaaaa', 'bbbbbbbb', 'cccccccc'];
    let draw = 0;
    let other = 0;
    const random = (size: number) => {
      if (size !== 4) return new Uint8Array(size).fill(++other % 256);
      return Buffer.from(ids[draw++] ?? 'dddddddd', 'hex');
    };
    const scripted = f.reopen({ random });
    const first = scripted.createKey(f.rootId, { label: 'First key' }, admin).key;
    const second = scripted.createKey(f.rootId, { label: 'Second key' }, admin).key;
    scripted.deleteKey(null, second.id, admin);
    const third = scripted.createKey(f.rootId, { label: 'Third key' }, admin).key;
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
    [{ label: 'tab\there' }, /^label: must not contain control or bidi-override characters$/],
    [{ label: 'csi\u009b31m red' }, /^label: must not contain control or bidi-override characters$/],
    [{ label: 'invoice \u202etxt.exe' }, /^label: must not contain control or bidi-override characters$/],
    [{ label: 'isolate \u2066x\u2069' }, /^label: must not contain control or bidi-override characters$/],
    [{}, /^label: /],
    [{ label: 42 }, /^label: /],
    [{ label: 'Fine', expires_at: 'next week' }, /^expires_at: must be an ISO-8601 date-time/],
    [{ label: 'Fine', expires_at: '2026-06-01T12:00:00Z' }, /^expires_at: must be in the future$/],
    [{ label: 'Fine', expires_at: '2020-01-01T00:00:00Z' }, /^expires_at: must be in the future$/],
    [{ label: 'Fine', account_id: 'acc_other' }, /^request: Unrecognized key: "account_id"/],
  ])('refuses %j with an error naming the field, and changes nothing', (input, message) => {
    const before = snapshot(f.engine);
    expect(() => f.engine.createKey(f.rootId, input, admin)).toThrow(message);
    try {
      f.engine.createKey(f.rootId, input, admin);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request' });
    }
    expect(snapshot(f.engine)).toBe(before);
  });

  it('refuses an unknown account or key as not_found', () => {
    expect(() => f.engine.createKey('acc_0000000000000000', { label: 'Orphan' }, admin)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(() => f.engine.getKey(null, 'key_0000000000000000')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => f.engine.getKey(null, '../etc')).toThrow(/^key_id: is not a valid id$/);
  });
});

describe('update', () => {
  it('edits the label and sets, extends and clears the expiration, recording old and new values', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Staging worker' }, admin);
    f.clock.advance(1000);
    const renamed = f.engine.updateKey(null, key.id, { label: 'Staging queue worker' }, admin);
    expect(renamed).toMatchObject({ label: 'Staging queue worker', updated_at: '2026-06-01T12:00:01.000Z' });
    const set = f.engine.updateKey(null, key.id, { expires_at: inDays(30) }, admin);
    const extended = f.engine.updateKey(null, key.id, { expires_at: inDays(180) }, admin);
    expect(extended.expires_at).toBe(new Date(f.clock.now() + 180 * DAY).toISOString());
    const cleared = f.engine.updateKey(null, key.id, { expires_at: null }, admin);
    expect(cleared.expires_at).toBeNull();
    expect(cleared.partial_key).toBe(key.partial_key);
    expect(cleared.account_id).toBe(key.account_id);

    const edits = f.engine.keyEvents(null, key.id).filter((event) => event.type === 'edited');
    expect(edits.map((event) => event.changes)).toEqual([
      { label: { from: 'Staging worker', to: 'Staging queue worker' } },
      { expires_at: { from: null, to: set.expires_at } },
      { expires_at: { from: set.expires_at, to: extended.expires_at } },
      { expires_at: { from: extended.expires_at, to: null } },
    ]);
  });

  it('accepts a time zone offset and stores UTC', () => {
    const { key } = f.engine.createKey(
      f.rootId,
      { label: 'Offset key', expires_at: '2026-07-01T14:00:00+02:00' },
      admin,
    );
    expect(key.expires_at).toBe('2026-07-01T12:00:00.000Z');
  });

  it.each([
    [{}, /^request: give label or expires_at$/],
    [{ label: '' }, /^label: must not be empty$/],
    [{ expires_at: '2026-01-01T00:00:00Z' }, /^expires_at: must be in the future$/],
    [{ account_id: 'acc_x' }, /^request: Unrecognized key: "account_id"/],
    [{ partial_key: 'sk-00000000' }, /^request: Unrecognized key: "partial_key"/],
  ])('refuses %j and changes nothing', (patch, message) => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Steady key' }, admin);
    const before = snapshot(f.engine);
    expect(() => f.engine.updateKey(null, key.id, patch, admin)).toThrow(message);
    expect(snapshot(f.engine)).toBe(before);
  });

  it('does not record an edit that changes nothing', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Same label' }, admin);
    f.engine.updateKey(null, key.id, { label: 'Same label' }, admin);
    expect(f.engine.keyEvents(null, key.id).map((event) => event.type)).toEqual(['created']);
  });
});

describe('status transitions', () => {
  it('active -> revoked -> active, with times and events', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Rotating key' }, admin);
    f.clock.advance(5000);
    const revoked = f.engine.revokeKey(null, key.id, admin);
    expect(revoked).toMatchObject({ status: 'revoked', revoked_at: '2026-06-01T12:00:05.000Z' });
    expect(() => f.engine.revokeKey(null, key.id, admin)).toThrow(expect.objectContaining({ code: 'conflict' }));
    const back = f.engine.reactivateKey(null, key.id, admin);
    expect(back).toMatchObject({ status: 'active', revoked_at: null });
    expect(() => f.engine.reactivateKey(null, key.id, admin)).toThrow(/only revoked keys can be reactivated/);
    expect(f.engine.keyEvents(null, key.id).map((event) => event.type)).toEqual(['created', 'revoked', 'reactivated']);
  });

  it('active -> expired by the clock, with an expired event, and active again when extended', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Short lived', expires_at: inDays(1) }, admin);
    f.clock.advanceDays(1);
    expect(f.engine.getKey(null, key.id).status).toBe('expired');
    f.engine.flush();
    f.engine.flush();
    const expiredEvents = f.engine.keyEvents(null, key.id).filter((event) => event.type === 'expired');
    expect(expiredEvents).toEqual([expect.objectContaining({ actor: 'system', at: '2026-06-02T12:00:00.000Z' })]);

    const extended = f.engine.updateKey(null, key.id, { expires_at: inDays(30) }, admin);
    expect(extended.status).toBe('active');
    f.clock.advanceDays(31);
    f.engine.flush();
    expect(f.engine.keyEvents(null, key.id).filter((event) => event.type === 'expired')).toHaveLength(2);
  });

  it('revoked stays revoked past its expiration; reactivated it reads expired', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Old key', expires_at: inDays(1) }, admin);
    f.engine.revokeKey(null, key.id, admin);
    f.clock.advanceDays(2);
    expect(f.engine.getKey(null, key.id).status).toBe('revoked');
    expect(f.engine.reactivateKey(null, key.id, admin).status).toBe('expired');
  });

  it('delete is permanent and the history stays, with label and public id', () => {
    const { key } = f.engine.createKey(f.rootId, { label: 'Doomed key' }, admin);
    f.engine.deleteKey(null, key.id, admin);
    expect(() => f.engine.getKey(null, key.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => f.engine.deleteKey(null, key.id, admin)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(f.engine.keyEvents(null, key.id).map((event) => [event.type, event.key_label, event.partial_key])).toEqual([
      ['created', 'Doomed key', key.partial_key],
      ['deleted', 'Doomed key', key.partial_key],
    ]);
  });

  it('operations scoped to an account do not see keys of another', () => {
    const sub = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const { key } = f.engine.createKey(sub.id, { label: 'EU key' }, admin);
    expect(() => f.engine.getKey(f.rootId, key.id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => f.engine.revokeKey(f.rootId, key.id, admin)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(f.engine.getKey(sub.id, key.id).id).toBe(key.id);
  });
});

describe("the flag filter follows the audit's key rules as the clock moves", () => {
  const flagged = (flag: KeyRuleId) => f.engine.listKeys(null, { flag }).data.map((key) => key.label);

  it('never used after the grace period, unused, expiring, expired, and no expiration on a parent account', () => {
    f.engine.createSubaccount(f.rootId, { name: 'Child' }); // the root now reaches a subaccount
    const { key, secret } = f.engine.createKey(f.rootId, { label: 'Watched key', expires_at: inDays(100) }, admin);
    expect(flagged('never_used')).toEqual([]); // inside the 7-day grace period
    f.clock.advanceDays(8);
    expect(flagged('never_used')).toEqual(['Watched key']);
    f.engine.verify(secret);
    expect(flagged('never_used')).toEqual([]);
    f.clock.advanceDays(85); // day 93: 7 days left, used 85 days ago
    expect(flagged('expiring')).toEqual(['Watched key']);
    expect(flagged('unused')).toEqual([]);
    f.clock.advanceDays(6); // day 99: used 91 days ago
    expect(flagged('unused')).toEqual(['Watched key']);
    f.clock.advanceDays(1); // day 100: expired at the instant itself
    expect(flagged('expired')).toEqual(['Watched key']);
    expect(flagged('expiring')).toEqual([]);
    const cleared = f.engine.updateKey(null, key.id, { expires_at: null }, admin);
    expect(cleared.expires_at).toBeNull();
    expect(flagged('no_expiration_parent')).toEqual(['Watched key']);
    f.engine.revokeKey(null, key.id, admin);
    expect(flagged('no_expiration_parent')).toEqual([]); // time rules skip revoked keys
    expect(flagged('unused')).toEqual([]);
    f.clock.advanceDays(31);
    expect(flagged('revoked_stale')).toEqual(['Watched key']);
  });

  it('reads its numbers from the policy on every list', () => {
    let policy = DEFAULT_AUDIT_POLICY;
    const engine = f.reopen({ policy: () => policy });
    engine.createKey(f.rootId, { label: 'Billing worker', expires_at: inDays(10) }, admin);
    expect(engine.listKeys(null, { flag: 'expiring' }).data).toHaveLength(0);
    policy = { ...DEFAULT_AUDIT_POLICY, expiringDays: 14 };
    expect(engine.listKeys(null, { flag: 'expiring' }).data).toHaveLength(1);
  });
});

describe('list', () => {
  function seedTree() {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const us = f.engine.createSubaccount(f.rootId, { name: 'US' });
    const euDev = f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const made: Record<string, ApiKey> = {};
    const add = (name: string, account: string, expires?: number) => {
      f.clock.advance(1000);
      made[name] = f.engine.createKey(
        account,
        { label: name, ...(expires ? { expires_at: inDays(expires) } : {}) },
        admin,
      ).key;
    };
    add('root production', f.rootId, 90);
    add('eu production', eu.id, 5);
    add('eu staging', eu.id);
    add('eu dev laptop', euDev.id, 365);
    add('us production', us.id, 30);
    return { eu, us, euDev, made };
  }
  const labels = (page: { data: ApiKey[] }) => page.data.map((key) => key.label);

  it('filters by account, with or without subaccounts, or across all accounts', () => {
    const { eu } = seedTree();
    expect(labels(f.engine.listKeys(eu.id, { sort: 'label', order: 'asc' }))).toEqual(['eu production', 'eu staging']);
    expect(labels(f.engine.listKeys(eu.id, { include_subaccounts: true, sort: 'label', order: 'asc' }))).toEqual([
      'eu dev laptop',
      'eu production',
      'eu staging',
    ]);
    expect(f.engine.listKeys(null).data).toHaveLength(5);
    expect(f.engine.listKeys(f.rootId, { include_subaccounts: true }).data).toHaveLength(5);
  });

  it('filters by derived status and by flag', () => {
    const { made } = seedTree();
    f.engine.revokeKey(null, made['eu staging']?.id ?? '', admin);
    f.clock.advanceDays(6);
    expect(labels(f.engine.listKeys(null, { status: 'expired' }))).toEqual(['eu production']);
    expect(labels(f.engine.listKeys(null, { status: 'revoked' }))).toEqual(['eu staging']);
    expect(f.engine.listKeys(null, { status: 'active' }).data).toHaveLength(3);
    // eu staging never expires on a parent account, but it is revoked: time rules skip it.
    expect(labels(f.engine.listKeys(null, { flag: 'no_expiration_parent' }))).toEqual([]);
    expect(labels(f.engine.listKeys(null, { flag: 'expired' }))).toEqual(['eu production']);
    expect(f.engine.listKeys(null, { flag: 'never_used' }).data).toHaveLength(0); // 6 days: still in grace
    f.clock.advanceDays(20); // us production now has 4 days left
    expect(labels(f.engine.listKeys(null, { flag: 'expiring' }))).toEqual(['us production']);
    expect(f.engine.listKeys(null, { flag: 'never_used' }).data).toHaveLength(4); // all but the revoked one
  });

  it('searches label and partial key, case-insensitively, treating % and _ literally', () => {
    const { made } = seedTree();
    expect(labels(f.engine.listKeys(null, { q: 'PRODUCTION', sort: 'label', order: 'asc' }))).toEqual([
      'eu production',
      'root production',
      'us production',
    ]);
    const partial = made['us production']?.partial_key ?? '';
    expect(labels(f.engine.listKeys(null, { q: partial }))).toEqual(['us production']);
    expect(labels(f.engine.listKeys(null, { q: partial.slice(3, 9) }))).toContain('us production');
    expect(f.engine.listKeys(null, { q: '%' }).data).toEqual([]);
    expect(f.engine.listKeys(null, { q: '_' }).data).toEqual([]);
  });

  it.each(KEY_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))(
    'pages through every key exactly once sorted by %s %s',
    (sort, order) => {
      const { made } = seedTree();
      // Give some keys a last use and some ties, so nulls and equal values cross page boundaries.
      f.engine.verify(f.engine.createKey(f.rootId, { label: 'eu production' }, admin).secret);
      f.engine.revokeKey(null, made['eu staging']?.id ?? '', admin);
      const all = f.engine.listKeys(null, { sort, order, limit: 1000 }).data;
      const paged: ApiKey[] = [];
      let cursor: string | undefined;
      do {
        const page = f.engine.listKeys(null, { sort, order, limit: 2, ...(cursor ? { cursor } : {}) });
        paged.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(paged.map((key) => key.id)).toEqual(all.map((key) => key.id));
      expect(new Set(paged.map((key) => key.id)).size).toBe(6);
    },
  );

  it('orders as asked', () => {
    seedTree();
    expect(labels(f.engine.listKeys(null, { sort: 'expires_at', order: 'asc' }))).toEqual([
      'eu production',
      'us production',
      'root production',
      'eu dev laptop',
      'eu staging',
    ]);
    expect(labels(f.engine.listKeys(null, { sort: 'created_at', order: 'desc' }))[0]).toBe('us production');
  });

  it('refuses bad queries by field', () => {
    seedTree();
    expect(() => f.engine.listKeys(null, { limit: 0 })).toThrow(/^limit: /);
    expect(() => f.engine.listKeys(null, { status: 'dormant' })).toThrow(/^status: /);
    expect(() => f.engine.listKeys(null, { flag: 'stale' })).toThrow(/^flag: /);
    // The values before the audit's rule ids are refused with the list of valid ones.
    expect(() => f.engine.listKeys(null, { flag: 'no_expiration' })).toThrow(/^flag: .*"no_expiration_production"/);
    expect(() => f.engine.listKeys(null, { sort: 'secret' })).toThrow(/^sort: /);
    expect(() => f.engine.listKeys(null, { cursor: 'garbage' })).toThrow(/^cursor: /);
    const cursor = f.engine.listKeys(null, { limit: 1 }).next_cursor ?? '';
    expect(() => f.engine.listKeys(null, { limit: 1, cursor, sort: 'label' })).toThrow(
      /^cursor: belongs to another sort/,
    );
  });
});

describe('every key at once (keyColumnsJson)', () => {
  const everyKeyListed = (accountId: string) => {
    const keys: ApiKey[] = [];
    let cursor: string | null = null;
    do {
      const page = f.engine.listKeys(accountId, { include_subaccounts: true, limit: 2, ...(cursor ? { cursor } : {}) });
      keys.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return keys;
  };
  const byId = (keys: ApiKey[]) => [...keys].sort((a, b) => (a.id < b.id ? -1 : 1));

  it('holds exactly what the list pages hold, subaccounts included, with derived status and pending uses', () => {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const euDev = f.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const revoked = f.engine.createKey(f.rootId, { label: 'old "quoted" \\ label' }, admin).key;
    f.engine.revokeKey(null, revoked.id, admin);
    f.engine.createKey(eu.id, { label: 'expires soon', expires_at: inDays(1) }, admin);
    const used = f.engine.createKey(euDev.id, { label: 'ünïcode ✓ label' }, admin);
    f.clock.advance(2 * DAY); // the first one is now expired
    expect(f.engine.verify(used.secret).ok).toBe(true); // a use not yet written to disk

    const columns = JSON.parse(f.engine.keyColumnsJson(f.rootId)) as KeyColumns;
    const keys = keysOfColumns(columns);
    expect(byId(keys)).toEqual(byId(everyKeyListed(f.rootId)));
    expect(keys.map((key) => key.status).sort()).toEqual(['active', 'expired', 'revoked']);
    expect(keys.find((key) => key.id === used.key.id)?.last_used_at).toBe(new Date(f.clock.now()).toISOString());
    // A subaccount's export holds only its own tree.
    expect(byId(keysOfColumns(JSON.parse(f.engine.keyColumnsJson(eu.id)) as KeyColumns))).toEqual(
      byId(everyKeyListed(eu.id)),
    );
  });

  it('is empty for an account without keys, and refuses an unknown account', () => {
    expect(keysOfColumns(JSON.parse(f.engine.keyColumnsJson(f.rootId)) as KeyColumns)).toEqual([]);
    expect(() => f.engine.keyColumnsJson('acc_0000000000000000')).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('has a revision that moves with every change, made here or by another process, and only then', () => {
    const first = f.engine.revision();
    expect(f.engine.revision()).toBe(first);
    const { key } = f.engine.createKey(f.rootId, { label: 'one' }, admin);
    const second = f.engine.revision();
    expect(second).not.toBe(first);
    f.engine.listKeys(f.rootId, {});
    expect(f.engine.revision()).toBe(second);
    const other = KeyEngine.open(f.file, { clock: f.clock, flushIntervalMs: 0 });
    try {
      other.revokeKey(null, key.id, admin);
    } finally {
      other.close();
    }
    expect(f.engine.revision()).not.toBe(second);
  });
});
