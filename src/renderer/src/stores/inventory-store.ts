// The active connection's inventory in the window: its accounts and keys, loaded as a first slice
// at once and the rest in pages (a remote connection then syncs), and kept in step with what the
// window changes. The audit and the table's view follow it (wiring.ts).
import { create } from 'zustand';
import type { Environment } from '../../../shared/audit';
import type { Account, ApiKey } from '../../../shared/domain';
import type { ConnectionInfo, InventoryHead } from '../../../shared/ipc/window-data';
import { type IndexedKey, indexKey } from '../features/keys/key-index';
import { errorMessage, ipc } from '../ipc';

interface InventoryState {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  connection: ConnectionInfo | null;
  accounts: Account[];
  entries: IndexedKey[];
  positions: Map<string, number>;
  /** All pages are in. */
  complete: boolean;
  keychainIds: Set<string>;
  offline: boolean;
  offlineReason: string | null;
  /** An imported file: keys cannot be changed. */
  readOnlyReason: string | null;
  environments: Record<string, Environment>;
  syncedAt: string | null;
  syncing: boolean;
  syncedCount: number | null;

  load(): Promise<void>;
  sync(): Promise<void>;
  upsertKey(key: ApiKey): void;
  removeKey(keyId: string): void;
  setInKeychain(keyId: string, stored: boolean): void;
  /** A new or changed account. */
  upsertAccount(account: Account): void;
  /** Several keys changed at once (a bulk action): one update for all of them. */
  applyChanges(changed: ApiKey[], removed: string[]): void;
  setEnvironment(keyId: string, environment: Environment | null): Promise<void>;
  /** A sync's progress event from main. */
  syncProgress(connectionId: string, loaded: number): void;
}

const now = () => Date.now();
const positionsOf = (entries: IndexedKey[]) => new Map(entries.map((entry, i) => [entry.key.id, i]));

export const useInventoryStore = create<InventoryState>((set, get) => {
  // A load started later wins: pages and syncs of an earlier one are dropped.
  let generation = 0;

  const accept = (head: InventoryHead, loading: number) => {
    const entries = head.keys.map((key) => indexKey(key, now()));
    set({
      phase: 'ready',
      error: null,
      connection: head.connection,
      accounts: head.accounts,
      entries,
      positions: positionsOf(entries),
      complete: head.next_cursor === null,
      keychainIds: new Set(head.keychain_key_ids),
      offline: head.offline,
      offlineReason: head.offline_reason,
      readOnlyReason: head.read_only_reason,
      environments: head.environments,
      syncedAt: head.synced_at,
    });
    if (head.next_cursor) {
      loadRest(head.next_cursor, loading).catch((error: unknown) => {
        if (loading === generation) set({ error: `Only part of the inventory loaded: ${errorMessage(error)}` });
      });
    }
  };

  const loadRest = async (first: string, loading: number) => {
    let cursor: string | null = first;
    while (cursor && loading === generation) {
      const page = await ipc.inventory.page({ cursor });
      if (loading !== generation) return;
      const { entries, positions } = get();
      const added = page.keys.map((key) => indexKey(key, now()));
      for (const [i, entry] of added.entries()) positions.set(entry.key.id, entries.length + i);
      cursor = page.next_cursor;
      set({ entries: entries.concat(added), positions: new Map(positions), complete: cursor === null });
    }
  };

  const replaceEntries = (entries: IndexedKey[], keychainIds = get().keychainIds) =>
    set({ entries, positions: positionsOf(entries), keychainIds });

  return {
    phase: 'idle',
    error: null,
    connection: null,
    accounts: [],
    entries: [],
    positions: new Map(),
    complete: false,
    keychainIds: new Set(),
    offline: false,
    offlineReason: null,
    readOnlyReason: null,
    environments: {},
    syncedAt: null,
    syncing: false,
    syncedCount: null,

    async load() {
      const loading = ++generation;
      set({ phase: 'loading', error: null });
      try {
        const head = await ipc.inventory.load();
        if (loading !== generation) return;
        accept(head, loading);
        if (head.connection.kind === 'remote') await get().sync();
      } catch (error) {
        if (loading === generation) set({ phase: 'error', error: errorMessage(error) });
      }
    },

    async sync() {
      const loading = generation;
      set({ syncing: true, syncedCount: 0 });
      try {
        const head = await ipc.inventory.sync();
        if (loading === generation) accept(head, loading);
      } catch (error) {
        set({ error: errorMessage(error) });
      } finally {
        set({ syncing: false, syncedCount: null });
      }
    },

    upsertKey(key) {
      const { entries, positions } = get();
      const entry = indexKey(key, now());
      const at = positions.get(key.id);
      const next = entries.slice();
      if (at === undefined) {
        positions.set(key.id, next.length);
        next.push(entry);
      } else {
        next[at] = entry;
      }
      set({ entries: next, positions: new Map(positions) });
    },

    removeKey(keyId) {
      const keychainIds = new Set(get().keychainIds);
      keychainIds.delete(keyId);
      replaceEntries(
        get().entries.filter((entry) => entry.key.id !== keyId),
        keychainIds,
      );
    },

    applyChanges(changed, removed) {
      const gone = new Set(removed);
      const byId = new Map(changed.map((key) => [key.id, key]));
      const entries = get()
        .entries.filter((entry) => !gone.has(entry.key.id))
        .map((entry) => {
          const key = byId.get(entry.key.id);
          return key ? indexKey(key, now()) : entry;
        });
      replaceEntries(entries, new Set([...get().keychainIds].filter((id) => !gone.has(id))));
    },

    async setEnvironment(keyId, environment) {
      const { environments } = await ipc.keys.setEnvironment({ key_id: keyId, environment });
      set({ environments });
    },

    setInKeychain(keyId, stored) {
      const keychainIds = new Set(get().keychainIds);
      if (stored) keychainIds.add(keyId);
      else keychainIds.delete(keyId);
      set({ keychainIds });
    },

    upsertAccount(account) {
      const accounts = get().accounts;
      const at = accounts.findIndex((known) => known.id === account.id);
      set({ accounts: at < 0 ? [...accounts, account] : accounts.with(at, account) });
    },

    syncProgress(connectionId, loaded) {
      if (get().connection?.id === connectionId) set({ syncedCount: loaded });
    },
  };
});

/** Keys cannot change here: the platform is unreachable, or this is an imported file. */
export const selectReadOnly = (state: InventoryState): boolean => state.offline || state.readOnlyReason !== null;

/** Why keys cannot change here, in words for a tooltip or a menu; null when they can. */
export const selectWhyReadOnly = (state: InventoryState): string | null =>
  state.readOnlyReason ??
  (state.offline
    ? `Offline: ${state.offlineReason ?? 'the platform cannot be reached.'} This needs the platform.`
    : null);
