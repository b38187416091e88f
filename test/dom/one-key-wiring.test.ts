// @vitest-environment happy-dom
// The window's stores wired together (wiring.ts) in a DOM, against a main of the test's own behind
// window.keyhold: after one key changes in place, the audit store and the table's view hold what a
// fresh audit and a fresh view of the whole inventory give, and they got there by that key's path
// (one key audited and one row moved), while a change of several keys takes the whole path.
import { beforeAll, describe, expect, it } from 'vitest';
import { audit, DEFAULT_AUDIT_POLICY } from '../../src/shared/audit';
import type { Account, ApiKey } from '../../src/shared/domain';
import { viewRows } from '../../src/shared/key-view';
import { answered, installBridge } from './support/bridge';
import { inventoryHead } from './support/inventory';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ACCOUNTS: Account[] = [
  { id: 'acc_root', parent_id: null, name: 'Root', status: 'active', created_at: iso(0), updated_at: iso(0) },
  { id: 'acc_eu', parent_id: 'acc_root', name: 'EU', status: 'active', created_at: iso(0), updated_at: iso(0) },
];
const LABELS = ['Billing worker', 'prod search', 'staging deploy', 'test'];
// 600 keys of every kind: used or not, expiring, expired, revoked, in both accounts, twins among them.
const KEYS: ApiKey[] = Array.from({ length: 600 }, (_, i) => ({
  id: `key_${String(i).padStart(4, '0')}`,
  account_id: (ACCOUNTS[i % 2] as Account).id,
  label: i % 7 === 0 ? (LABELS[i % 4] as string) : `${LABELS[i % 4]} ${i}`,
  partial_key: `sk-${(0x10000000 + i * 7919).toString(16)}`,
  status: i % 9 === 0 ? 'revoked' : 'active',
  created_at: iso(NOW - (i % 400) * DAY),
  updated_at: iso(NOW - (i % 400) * DAY),
  last_used_at: i % 3 === 0 ? null : iso(NOW - (i % 200) * DAY),
  expires_at: i % 4 === 0 ? null : iso(NOW + ((i % 90) - 20) * DAY),
  revoked_at: i % 9 === 0 ? iso(NOW - (i % 150) * DAY) : null,
  deletes_at: null,
}));

const head = inventoryHead('conn_1', ACCOUNTS, KEYS, true);

type Stores = {
  inventory: typeof import('../../src/renderer/src/stores/inventory-store').useInventoryStore;
  audit: typeof import('../../src/renderer/src/stores/audit-store').useAuditStore;
  view: typeof import('../../src/renderer/src/stores/view-store').useViewStore;
};
let stores: Stores;

beforeAll(async () => {
  installBridge({
    inventory: {
      load: () => answered(head),
      keys: () => new Promise(() => {}), // every key came with the head
      use: () => answered({ connection_id: 'conn_1', since: null, use: [], missing_reason: 'none logged' }),
    },
    connections: { saveView: () => answered(null) },
    on: () => () => {},
  });
  (await import('../../src/renderer/src/stores/clock-store')).setTime(NOW);
  (await import('../../src/renderer/src/stores/wiring')).wireStores();
  stores = {
    inventory: (await import('../../src/renderer/src/stores/inventory-store')).useInventoryStore,
    audit: (await import('../../src/renderer/src/stores/audit-store')).useAuditStore,
    view: (await import('../../src/renderer/src/stores/view-store')).useViewStore,
  };
  await stores.inventory.getState().load();
  // The audit of an inventory that opens whole runs a moment after its rows (a timer).
  await new Promise<void>((resolve) => {
    const stop = stores.audit.subscribe((state) => {
      if (!state.result) return;
      stop();
      resolve();
    });
  });
});

/** The audit and the view as doing everything again over the inventory as it is now gives them. */
function expectAsIfDoneAgain() {
  const { entries, accounts } = stores.inventory.getState();
  const keys = entries.map((entry) => entry.key);
  const fresh = audit({ accounts, keys, environments: {}, key_use: [] }, DEFAULT_AUDIT_POLICY, NOW);
  const state = stores.audit.getState();
  expect(state.result?.toArray()).toEqual(fresh.toArray());
  expect(state.ruleBits).toEqual(fresh.ruleBitsByKey());
  expect(state.summary).toEqual(fresh.summary());
  const expiring = fresh.toArray().filter((finding) => finding.rule === 'expiring').length;
  expect(state.expiringCount).toBe(expiring);
  const { filters, sort, rows } = stores.view.getState();
  const again = viewRows({ entries, accounts, ruleBits: fresh.ruleBitsByKey() }, filters, sort);
  expect(Array.from(rows)).toEqual(Array.from(again.rows));
}

const measured = (name: string) => performance.getEntriesByName(name).length;
const keyAt = (position: number) => stores.inventory.getState().entries[position]?.key as ApiKey;

describe('one key changed in place, through the wired stores', () => {
  it('a revocation, a reactivation and an expiry moved: that key alone, the same outcome as everything again', () => {
    stores.view.getState().setSort({ column: 'expires_at', direction: 'asc' });
    for (const [position, change] of [
      [5, { status: 'revoked', revoked_at: iso(NOW) }],
      [5, { status: 'active', revoked_at: null }],
      [40, { expires_at: iso(NOW + 2 * DAY) }],
      [41, { last_used_at: iso(NOW - 100 * DAY) }],
    ] as const) {
      const auditBefore = stores.audit.getState().result;
      const oneKeyPaths = measured('inventory-change-one-key');
      stores.inventory.getState().upsertKey({ ...keyAt(position), ...change });
      expect(measured('inventory-change-one-key')).toBe(oneKeyPaths + 1);
      expect(stores.audit.getState().result).not.toBe(auditBefore);
      expectAsIfDoneAgain();
    }
  });

  it('…with a filter on: the key leaves or joins the rows where it belongs', () => {
    stores.view.getState().setFilters({ flag: 'expiring' });
    stores.inventory.getState().upsertKey({ ...keyAt(80), expires_at: iso(NOW + DAY) });
    expectAsIfDoneAgain();
    stores.inventory.getState().upsertKey({ ...keyAt(80), expires_at: null });
    expectAsIfDoneAgain();
    stores.view.getState().setFilters({ flag: null, status: 'revoked', search: 'billing' });
    stores.inventory.getState().upsertKey({ ...keyAt(12), status: 'revoked', revoked_at: iso(NOW) });
    expectAsIfDoneAgain();
    stores.view.getState().setFilters({ status: null, search: '' });
  });

  it('a new label, or several keys at once, take the whole path and end the same', () => {
    const wholePaths = measured('inventory-change');
    // The label can make or break duplicates of other keys: the audit does every key.
    stores.inventory.getState().upsertKey({ ...keyAt(3), label: keyAt(10).label });
    expectAsIfDoneAgain();
    stores.inventory.getState().applyChanges(
      [
        { ...keyAt(20), status: 'revoked', revoked_at: iso(NOW) },
        { ...keyAt(21), status: 'revoked', revoked_at: iso(NOW) },
      ],
      [],
    );
    expect(measured('inventory-change')).toBe(wholePaths + 1);
    expectAsIfDoneAgain();
  });
});
