// @vitest-environment happy-dom
// The inventory store's loading in a DOM (happy-dom), in milliseconds, against a main of the test's
// own behind window.keyhold: the first slice, then every key in one transfer; what the window
// changes while that transfer is on its way is laid over it on arrival (an edit kept, a deletion
// not brought back); a load started later wins over an earlier one still loading.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/shared/domain';
import type { ConnectionInfo, InventoryHead } from '../../src/shared/ipc/window-data';
import { columnsOfKeys } from '../../src/shared/key-columns';

const AT = '2031-03-01T12:00:00.000Z';
const key = (hex: string, label: string): ApiKey => ({
  id: `key_${hex}`,
  account_id: 'acc_root',
  label,
  partial_key: `sk-${hex}`,
  status: 'active',
  created_at: AT,
  updated_at: AT,
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
  deletes_at: null,
});
const EVERY_KEY = [key('0000000a', 'Billing worker'), key('0000000b', 'Search indexer'), key('0000000c', 'Deploy bot')];
const connection = (id: string): ConnectionInfo => ({
  id,
  kind: 'embedded',
  name: 'This computer',
  base_url: null,
  account_id: null,
  last_synced_at: null,
  last_view: null,
  source: null,
});
const head = (connectionId: string, keys: ApiKey[]): InventoryHead => ({
  connection: connection(connectionId),
  accounts: [{ id: 'acc_root', parent_id: null, name: 'Root', status: 'active', created_at: AT, updated_at: AT }],
  keys,
  complete: false,
  keychain_key_ids: [],
  offline: false,
  offline_reason: null,
  synced_at: null,
  read_only_reason: null,
  environments: {},
  view: null,
});

/** Each connection's keys (the second's labels end in " 2", so its keys are told apart). */
const everyKeyOf = (connectionId: string) =>
  connectionId === 'conn_1' ? EVERY_KEY : EVERY_KEY.map((each) => ({ ...each, label: `${each.label} 2` }));

/** main's answers, the transfer of every key held until the test releases it. */
const main = {
  connectionId: 'conn_1',
  release: (): void => {},
};
let store: typeof import('../../src/renderer/src/stores/inventory-store').useInventoryStore;

beforeAll(async () => {
  const ok = (data: unknown) => Promise.resolve({ ok: true, data });
  (window as unknown as { keyhold: unknown }).keyhold = {
    inventory: {
      load: () => ok(head(main.connectionId, everyKeyOf(main.connectionId).slice(0, 2))),
      keys: () => {
        const connectionId = main.connectionId;
        const keys = everyKeyOf(connectionId);
        return new Promise((resolve) => {
          main.release = () =>
            resolve({ ok: true, data: { connection_id: connectionId, columns: JSON.stringify(columnsOfKeys(keys)) } });
        });
      },
    },
    on: () => () => {},
  };
  // The store reads window.keyhold when first imported, and draws every key after the first screen.
  ({ useInventoryStore: store } = await import('../../src/renderer/src/stores/inventory-store'));
  (await import('../../src/renderer/src/lib/first-screen')).markFirstScreenDrawn();
});

beforeEach(() => {
  main.connectionId = 'conn_1';
});

const labels = () =>
  store
    .getState()
    .entries.map((entry) => entry.key.label)
    .sort();

describe('the inventory store', () => {
  it('shows the first slice, then every key, with what changed meanwhile laid over them', async () => {
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'ready', complete: false });
    expect(labels()).toEqual(['Billing worker', 'Search indexer']);
    // While every key is on its way: one edited, one deleted.
    store.getState().upsertKey({ ...(EVERY_KEY[0] as ApiKey), label: 'Billing worker (EU)' });
    store.getState().removeKey('key_0000000b');
    main.release();
    await expect.poll(() => store.getState().complete).toBe(true);
    expect(labels()).toEqual(['Billing worker (EU)', 'Deploy bot']);
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
    await expect.poll(() => store.getState().complete).toBe(true);
    stop();
    expect(labels()).toEqual(['Billing worker 2', 'Deploy bot 2', 'Search indexer 2']);
    expect(seen.flat().filter((label) => !label.endsWith(' 2'))).toEqual([]);
  });
});
