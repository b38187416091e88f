// @vitest-environment happy-dom
// The inventory store's loading in a DOM (happy-dom), in milliseconds, against a main of the test's
// own behind window.keyhold: the first slice, then every key in one transfer; what the window
// changes while that transfer is on its way is laid over it on arrival (an edit kept, a deletion
// not brought back); a load started later wins over an earlier one still loading.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/shared/domain';
import type { SavedView } from '../../src/shared/ipc/window-data';
import { columnsOfKeys } from '../../src/shared/key-columns';
import type { IndexedKey } from '../../src/shared/key-index';
import { keyOf } from '../support/api-key';
import { answered, installBridge, refused } from './support/bridge';
import { inventoryHead } from './support/inventory';

const AT = '2031-03-01T12:00:00.000Z';
const key = (hex: string, label: string): ApiKey => keyOf(hex, label, 'acc_root', AT);
const EVERY_KEY = [key('0000000a', 'Billing worker'), key('0000000b', 'Search indexer'), key('0000000c', 'Deploy bot')];
const ROOT = [
  { id: 'acc_root', parent_id: null, name: 'Root', status: 'active' as const, created_at: AT, updated_at: AT },
];
const head = (connectionId: string, keys: ApiKey[]) => inventoryHead(connectionId, ROOT, keys, false);

/** Each connection's keys (the second's labels end in " 2", so its keys are told apart). */
const everyKeyOf = (connectionId: string) =>
  connectionId === 'conn_1' ? EVERY_KEY : EVERY_KEY.map((each) => ({ ...each, label: `${each.label} 2` }));

/** main's answers, the transfer of every key held until the test releases it. */
const main = {
  connectionId: 'conn_1',
  lastView: null as SavedView | null,
  failKeys: false,
  release: (): void => {},
};
const VIEW: SavedView = {
  page: 'keys',
  account_id: null,
  include_subaccounts: true,
  status: null,
  flag: null,
  search: '',
  sort: { column: 'created_at', direction: 'desc' },
  columns: { hidden: [], widths: {} },
};
let store: typeof import('../../src/renderer/src/stores/inventory-store').useInventoryStore;
let selectShown: typeof import('../../src/renderer/src/stores/inventory-store').selectShown;

beforeAll(async () => {
  installBridge({
    inventory: {
      load: () => {
        const answer = head(main.connectionId, everyKeyOf(main.connectionId).slice(0, 2));
        answer.connection.last_view = main.lastView;
        return answered(answer);
      },
      keys: () => {
        if (main.failKeys) return refused('internal', 'the disk is full');
        const connectionId = main.connectionId;
        const keys = everyKeyOf(connectionId);
        return new Promise((resolve) => {
          main.release = () =>
            resolve({ ok: true, data: { connection_id: connectionId, columns: JSON.stringify(columnsOfKeys(keys)) } });
        });
      },
    },
    on: () => () => {},
  });
  // The store reads window.keyhold when first imported, and draws every key after the first screen.
  ({ useInventoryStore: store, selectShown } = await import('../../src/renderer/src/stores/inventory-store'));
  (await import('../../src/renderer/src/lib/first-screen')).markFirstScreenDrawn();
});

beforeEach(() => {
  main.connectionId = 'conn_1';
  main.lastView = null;
  main.failKeys = false;
});

const labelsOf = (entries: IndexedKey[]) => entries.map((entry) => entry.key.label).sort();
const labels = () => labelsOf(store.getState().entries);
const shownLabels = () => labelsOf(selectShown(store.getState()));

describe('the inventory store', () => {
  it('shows the first slice, then every key, with what changed meanwhile laid over them', async () => {
    await store.getState().load();
    expect(store.getState().stage.kind).toBe('head');
    // The head's rows are shown, and are never taken for the inventory.
    expect(shownLabels()).toEqual(['Billing worker', 'Search indexer']);
    expect(labels()).toEqual([]);
    // While every key is on its way: one edited, one deleted (the head's rows show it at once).
    store.getState().upsertKey({ ...(EVERY_KEY[0] as ApiKey), label: 'Billing worker (EU)' });
    store.getState().removeKey('key_0000000b');
    expect(shownLabels()).toEqual(['Billing worker (EU)']);
    expect(labels()).toEqual([]);
    main.release();
    await expect.poll(() => store.getState().stage.kind).toBe('complete');
    expect(labels()).toEqual(['Billing worker (EU)', 'Deploy bot']);
    expect(shownLabels()).toEqual(['Billing worker (EU)', 'Deploy bot']);
  });

  it('holds a saved view that filters until every key is in, when main did not answer it', async () => {
    main.lastView = { ...VIEW, status: 'revoked' };
    await store.getState().load();
    expect(store.getState().stage.kind).toBe('holding');
    expect(shownLabels()).toEqual([]);
    main.release();
    await expect.poll(() => store.getState().stage.kind).toBe('complete');
    expect(labels()).toEqual(['Billing worker', 'Deploy bot', 'Search indexer']);
  });

  it('one key changed in place: the same positions, and the change says which key', async () => {
    await store.getState().load();
    main.release();
    await expect.poll(() => store.getState().stage.kind).toBe('complete');
    const before = store.getState().entries;
    const position = before.findIndex((entry) => entry.key.id === 'key_0000000b');
    store.getState().upsertKey({ ...(EVERY_KEY[1] as ApiKey), status: 'revoked', revoked_at: AT });
    const { entries, oneKeyChange } = store.getState();
    expect(oneKeyChange).toEqual({ from: before, position });
    expect(entries[position]?.key.status).toBe('revoked');
    expect(entries.filter((_, i) => i !== position)).toEqual(before.filter((_, i) => i !== position));
    // A new key is not a change in place.
    store.getState().upsertKey(key('0000000d', 'New key'));
    expect(store.getState().oneKeyChange).toBeNull();
  });

  it('a failure of every key: said over the head, or in the stage when nothing was shown', async () => {
    main.failKeys = true;
    await store.getState().load();
    await expect.poll(() => store.getState().error).toMatch(/Only part of the inventory loaded: .*disk/);
    expect(store.getState().stage.kind).toBe('head');
    main.lastView = { ...VIEW, status: 'revoked' };
    await store.getState().load();
    await expect.poll(() => store.getState().stage).toMatchObject({ kind: 'failed', message: /disk/ });
  });

  it('drops the keys of a load that a later load replaced', async () => {
    await store.getState().load();
    const first = main.release;
    main.connectionId = 'conn_2';
    await store.getState().load();
    expect(store.getState().connection?.id).toBe('conn_2');
    // Every state from here on: none may hold the first connection's keys.
    const seen: string[][] = [];
    const stop = store.subscribe((state) => seen.push(state.entries.map((entry) => entry.key.label)));
    first(); // the first load's keys arrive late, before the second's
    main.release();
    await expect.poll(() => store.getState().stage.kind).toBe('complete');
    stop();
    expect(labels()).toEqual(['Billing worker 2', 'Deploy bot 2', 'Search indexer 2']);
    expect(seen.flat().filter((label) => !label.endsWith(' 2'))).toEqual([]);
  });
});
