import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { KeyholdApp } from '../../../src/main/app/create-app';
import { HEAD_SIZE } from '../../../src/main/app/inventory';
import type { KeyEngine } from '../../../src/platform/engine';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { audit } from '../../../src/shared/audit';
import type { InventoryHead, SavedView } from '../../../src/shared/ipc/window-data';
import { type KeyColumns, keysOfColumns } from '../../../src/shared/key-columns';
import { accountScope, filterRows, indexKey, sortOrder } from '../../../src/shared/key-index';
import { DEFAULT_FILTERS, filtersAndSort } from '../../../src/shared/key-view';
import { appPerTest } from '../../support/app';
import { admin } from '../../support/engine';
import { startTestServer } from '../../support/server';

const apps = appPerTest();

const LABELS = ['billing worker', 'Test', 'staging deploy', 'search indexer 2', 'Webhooks'];

/** 450 keys in the root and two subaccounts: revoked ones, vague and duplicate labels, numbers to sort. */
async function seed(engine: KeyEngine, rootId: string): Promise<string[]> {
  const accounts = [rootId];
  for (const name of ['Region 10', 'Region 9']) accounts.push((await engine.createSubaccount(rootId, { name })).id);
  for (let i = 0; i < 450; i++) {
    const label = i % 5 === 1 ? 'Test' : `${LABELS[i % 5]} ${i % 40}`;
    const { key } = await engine.createKey(accounts[i % 3] as string, { label }, admin);
    if (i % 7 === 0) await engine.revokeKey(null, key.id, admin);
  }
  return accounts;
}

const view = (patch: Partial<SavedView> & Pick<SavedView, 'sort'>): SavedView => ({
  page: 'keys',
  ...DEFAULT_FILTERS,
  ...patch,
});

/** What the window shows once every key is in: the whole sorted inventory, filtered. */
async function windowAnswer(running: KeyholdApp, head: InventoryHead, saved: SavedView) {
  const { columns } = await running.handlers['inventory:keys']({});
  const now = Date.now();
  const entries = keysOfColumns(JSON.parse(columns) as KeyColumns).map((key) => indexKey(key, now));
  const { policy } = await running.handlers['audit:policy']({});
  const keys = entries.map((entry) => entry.key);
  const ruleBits = audit(
    { accounts: head.accounts, keys, environments: head.environments },
    policy,
    now,
  ).ruleBitsByKey();
  const { filters, sort } = filtersAndSort(saved);
  const rows = filterRows(
    entries,
    ruleBits,
    sortOrder(entries, sort, head.accounts),
    filters,
    accountScope(head.accounts, filters.account_id, filters.include_subaccounts),
  );
  const first = Array.from(rows.subarray(0, HEAD_SIZE));
  return {
    ids: first.map((position) => entries[position]?.key.id),
    bits: first.map((position) => ruleBits[position]),
    matches: rows.length,
    total: entries.length,
  };
}

async function loadWith(running: KeyholdApp, saved: SavedView): Promise<InventoryHead> {
  const { active_id } = await running.handlers['connections:list']({});
  await running.handlers['connections:saveView']({ id: active_id, view: saved });
  return running.handlers['inventory:load']({});
}

describe('a saved view answered in main', () => {
  it('gives the first rows and counts the window gives with every key, for filters, flags and sorts', async () => {
    const dir = apps.folder();
    const seeding = openSqliteEngine(join(dir, 'platform.db'), { flushIntervalMs: 0 });
    const rootId = (await seeding.ensureRootAccount()).id;
    const accounts = await seed(seeding, rootId);
    await seeding.close();
    const running = await apps.start();
    await setImmediate(); // the read ahead has started

    const views = [
      view({ search: 'worker 1', sort: { column: 'label', direction: 'desc' } }),
      view({ flag: 'duplicate_label', sort: { column: 'account', direction: 'asc' } }),
      view({
        flag: 'vague_label',
        account_id: accounts[1] as string,
        sort: { column: 'created_at', direction: 'asc' },
      }),
      view({ status: 'revoked', sort: { column: 'status', direction: 'asc' } }),
      view({ sort: { column: 'label', direction: 'asc' } }), // no filter: every key, sorted
    ];
    for (const saved of views) {
      const head = await loadWith(running, saved);
      const expected = await windowAnswer(running, head, saved);
      expect(head.complete).toBe(false);
      expect(head.view).not.toBeNull();
      expect(head.keys.map((key) => key.id)).toEqual(expected.ids);
      expect({ matches: head.view?.matches, total: head.view?.total }).toEqual({
        matches: expected.matches,
        total: expected.total,
      });
      expect(head.view?.rule_bits).toEqual(saved.flag ? expected.bits : null);
      expect(expected.matches).toBeGreaterThan(0);
    }
  });

  it('is not asked for a view that only the first keys need, and reads a change another process made', async () => {
    const dir = apps.folder();
    const seeding = openSqliteEngine(join(dir, 'platform.db'), { flushIntervalMs: 0 });
    const rootId = (await seeding.ensureRootAccount()).id;
    await seed(seeding, rootId);
    await seeding.close();
    const running = await apps.start();

    const plain = await loadWith(running, view({ sort: { column: 'created_at', direction: 'desc' } }));
    expect(plain.view).toBeNull();
    await running.handlers['inventory:keys']({});

    const saved = view({ search: 'webhooks', sort: { column: 'label', direction: 'asc' } });
    await loadWith(running, saved);
    await running.handlers['inventory:keys']({});
    // Another process (the CLI, a server on the same file) adds a key the view shows first.
    const other = openSqliteEngine(join(dir, 'platform.db'), { flushIntervalMs: 0 });
    await other.createKey(rootId, { label: 'Webhooks 0 added elsewhere' }, admin);
    await other.close();
    const head = await running.handlers['inventory:load']({});
    expect(head.keys[0]?.label).toBe('Webhooks 0 added elsewhere');
    expect(head.view?.matches).toBe((await windowAnswer(running, head, saved)).matches);
  });
});

describe('a saved view of a remote connection', () => {
  it('is answered from the synced cache on a load', async () => {
    const platform = await startTestServer();
    try {
      await seed(platform.engine, platform.rootId);
      const running = await apps.start();
      const added = await running.handlers['connections:add']({
        name: 'Acme',
        base_url: platform.url,
        api_key: platform.adminKey,
      });
      await running.handlers['connections:switch']({ id: added.id });
      const saved = view({ search: 'billing', status: 'active', sort: { column: 'label', direction: 'desc' } });
      await running.handlers['connections:saveView']({ id: added.id, view: saved });
      const synced = await running.handlers['inventory:sync']({});
      expect(synced.changes).toBeNull(); // a first sync: the window loads every key, keeping what it shows
      await running.handlers['inventory:keys']({});

      const head = await running.handlers['inventory:load']({});
      const expected = await windowAnswer(running, head, saved);
      expect(head.connection.kind).toBe('remote');
      expect(head.keys.map((key) => key.id)).toEqual(expected.ids);
      expect(head.view).toEqual({ matches: expected.matches, total: expected.total, rule_bits: null });
    } finally {
      await platform.stop();
    }
  });
});
