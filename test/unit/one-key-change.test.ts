// One key changed in place (a revocation, a reactivation, an expiry moved, a use): the audit redoes
// that key alone (AuditResult.withKeyRedone) and the table moves that key's row alone
// (viewAfterOneKey). Both are held equal to doing everything again, over seeded random inventories,
// changes, filters and sorts.
import { describe, expect, it } from 'vitest';
import { type AuditInventory, audit, DEFAULT_AUDIT_POLICY, type Environment, RULES } from '../../src/shared/audit';
import type { Account, ApiKey } from '../../src/shared/domain';
import { HIDEABLE_COLUMNS, type TableColumn } from '../../src/shared/ipc/window-data';
import { type Filters, type IndexedKey, indexKey, type Sort, sortOrder } from '../../src/shared/key-index';
import { rowsOf, type ViewSource, viewAfterOneKey, viewRows } from '../../src/shared/key-view';
import type { KeyUse } from '../../src/shared/request-log';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A small deterministic generator (mulberry32): the same cases on every run. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

const ACCOUNTS: Account[] = [
  { id: 'acc_root', parent_id: null, name: 'Root', status: 'active', created_at: iso(0), updated_at: iso(0) },
  { id: 'acc_eu', parent_id: 'acc_root', name: 'EU 10', status: 'active', created_at: iso(0), updated_at: iso(0) },
  { id: 'acc_us', parent_id: 'acc_root', name: 'US 9', status: 'active', created_at: iso(0), updated_at: iso(0) },
  { id: 'acc_lab', parent_id: 'acc_us', name: 'lab', status: 'active', created_at: iso(0), updated_at: iso(0) },
];
// Shared labels make duplicates; environment words make rotation and production rules fire.
const LABELS = [
  'Billing worker',
  'prod search',
  'staging deploy 2',
  'test',
  'dev box 10',
  'Ünïcode key',
  'billing WORKER',
];

const someTime = (r: Random) => NOW + Math.round((r.next() - 0.7) * 400) * DAY;
const maybeTime = (r: Random, p: number) => (r.chance(p) ? iso(someTime(r)) : null);

function makeKey(r: Random, i: number): ApiKey {
  const revoked = r.chance(0.2);
  const created = NOW - Math.round(r.next() * 500) * DAY;
  return {
    id: `key_${String(i).padStart(6, '0')}`,
    account_id: r.pick(ACCOUNTS).id,
    label: r.chance(0.5) ? r.pick(LABELS) : `${r.pick(LABELS)} ${i}`,
    partial_key: `sk-${(0x10000000 + i * 7919).toString(16)}`,
    status: revoked ? 'revoked' : 'active',
    created_at: iso(created),
    updated_at: iso(created),
    last_used_at: maybeTime(r, 0.6),
    expires_at: maybeTime(r, 0.6),
    revoked_at: revoked ? iso(NOW - Math.round(r.next() * 200) * DAY) : null,
    deletes_at: null,
  };
}

/** What the window does to one key: revoke, reactivate, extend or shorten, use, or rename. */
function changeOf(r: Random, key: ApiKey): ApiKey {
  switch (r.pick(['revoke', 'reactivate', 'expiry', 'use', 'rename'] as const)) {
    case 'revoke':
      return { ...key, status: 'revoked', revoked_at: iso(NOW - Math.round(r.next() * 100) * DAY) };
    case 'reactivate':
      return { ...key, status: 'active', revoked_at: null };
    case 'expiry':
      return { ...key, expires_at: maybeTime(r, 0.8) };
    case 'use':
      return { ...key, last_used_at: iso(NOW - Math.round(r.next() * 120) * DAY) };
    case 'rename':
      return { ...key, label: r.pick(LABELS) };
  }
}

function inventoryOf(r: Random, size: number): AuditInventory {
  const keys = Array.from({ length: size }, (_, i) => makeKey(r, i));
  const key_use: KeyUse[] = keys
    .filter(() => r.chance(0.2))
    .map((key) => ({
      key_id: key.id,
      first_source_at: iso(NOW - 40 * DAY),
      newest_source_at: iso(NOW - Math.round(r.next() * 20) * DAY),
      recent_sources: Math.round(r.next() * 15),
      refused_attempts: Math.round(r.next() * 5),
    }));
  const exposures = Object.fromEntries(keys.filter(() => r.chance(0.05)).map((key) => [key.id, iso(NOW - 30 * DAY)]));
  const environments: Record<string, Environment> = Object.fromEntries(
    keys.filter(() => r.chance(0.05)).map((key) => [key.id, 'production' as const]),
  );
  // Rotations between keys that share a label: forgiven duplicates.
  const rotations = keys.flatMap((key, i) =>
    i > 0 && key.label === keys[i - 1]?.label ? [[keys[i - 1]?.id as string, key.id] as const] : [],
  );
  return { accounts: ACCOUNTS, keys, key_use, exposures, environments, rotations };
}

const withKey = (inventory: AuditInventory, position: number, key: ApiKey): AuditInventory => ({
  ...inventory,
  keys: inventory.keys.with(position, key),
});

describe('one key changed: its audit alone equals the whole audit', () => {
  it('over 300 changes of random inventories: the same findings in the same order, the same flags', () => {
    const r = random(31);
    let redone = 0;
    for (let round = 0; round < 300; round++) {
      const inventory = inventoryOf(r, 40 + Math.floor(r.next() * 60));
      const before = audit(inventory, DEFAULT_AUDIT_POLICY, NOW);
      const position = Math.floor(r.next() * inventory.keys.length);
      const old = inventory.keys[position] as ApiKey;
      const after = withKey(inventory, position, changeOf(r, old));
      const one = before.withKeyRedone(after, position);
      if ((after.keys[position] as ApiKey).label !== old.label) {
        expect(one, 'a new label can change other keys’ duplicates: not done alone').toBeNull();
        continue;
      }
      redone++;
      const full = audit(after, DEFAULT_AUDIT_POLICY, NOW);
      expect(one?.toArray()).toEqual(full.toArray());
      expect(one?.ruleBitsByKey()).toEqual(full.ruleBitsByKey());
      expect(one?.ruleBitsOf(position)).toBe(full.ruleBitsByKey()[position]);
      expect(one?.summary()).toEqual(full.summary());
    }
    expect(redone).toBeGreaterThan(200);
  });

  it('is not done alone when anything else the audit reads changed', () => {
    const r = random(7);
    const inventory = inventoryOf(r, 50);
    const before = audit(inventory, DEFAULT_AUDIT_POLICY, NOW);
    const key = { ...(inventory.keys[3] as ApiKey), status: 'revoked' as const, revoked_at: iso(NOW) };
    const changed = withKey(inventory, 3, key);
    expect(before.withKeyRedone({ ...changed, accounts: [...ACCOUNTS] }, 3)).toBeNull();
    expect(before.withKeyRedone({ ...changed, environments: {} }, 3)).toBeNull();
    expect(before.withKeyRedone({ ...changed, key_use: [] }, 3)).toBeNull();
    expect(before.withKeyRedone({ ...changed, keys: changed.keys.slice(1) }, 3)).toBeNull();
    expect(before.withKeyRedone({ ...changed, account_id: 'acc_eu' } as AuditInventory, 3)).not.toBeNull();
    expect(before.withKeyRedone(withKey(inventory, 3, { ...key, account_id: 'acc_lab' }), 3)).toBeNull();
  });
});

const COLUMNS: TableColumn[] = ['label', ...HIDEABLE_COLUMNS];
const SEARCHES = ['', 'billing', 'worker 1', 'sk-1', 'ÜN', 'prod search 2'];

function filtersOf(r: Random): Filters {
  return {
    account_id: r.chance(0.3) ? r.pick(ACCOUNTS).id : null,
    include_subaccounts: r.chance(0.5),
    status: r.chance(0.3) ? r.pick(['active', 'expired', 'revoked'] as const) : null,
    flag: r.chance(0.3) ? r.pick(RULES) : null,
    search: r.chance(0.5) ? r.pick(SEARCHES) : '',
  };
}

const sourceOf = (inventory: AuditInventory): ViewSource => ({
  entries: inventory.keys.map((key): IndexedKey => indexKey(key, NOW)),
  accounts: inventory.accounts,
  ruleBits: audit(inventory, DEFAULT_AUDIT_POLICY, NOW).ruleBitsByKey(),
});

describe('one key changed: its row moved alone equals sorting and filtering again', () => {
  it('over 400 changes, filters and sorts, with the whole order made or not yet', () => {
    const r = random(99);
    for (let round = 0; round < 400; round++) {
      const inventory = inventoryOf(r, 30 + Math.floor(r.next() * 50));
      const filters = filtersOf(r);
      const sort: Sort = { column: r.pick(COLUMNS), direction: r.chance(0.5) ? 'asc' : 'desc' };
      const source = sourceOf(inventory);
      // As the view store holds it: the whole order only when nothing is filtered, or once made.
      const view = viewRows(source, filters, sort);
      const shown =
        view.order === null && r.chance(0.5)
          ? (() => {
              const order = sortOrder(source.entries, sort, source.accounts);
              return { order, rows: rowsOf(source, order, filters) };
            })()
          : view;
      const position = Math.floor(r.next() * inventory.keys.length);
      const after = sourceOf(withKey(inventory, position, changeOf(r, inventory.keys[position] as ApiKey)));
      const moved = viewAfterOneKey(after, shown, position, filters, sort);
      const again = viewRows(after, filters, sort);
      expect(Array.from(moved.rows), `${JSON.stringify(filters)} ${JSON.stringify(sort)}`).toEqual(
        Array.from(again.rows),
      );
      if (shown.order) expect(moved.order).toEqual(sortOrder(after.entries, sort, after.accounts));
      else expect(moved.order).toBeNull();
    }
  });
});
