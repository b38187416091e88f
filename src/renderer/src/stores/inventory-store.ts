// The active connection's inventory in the window: its accounts and keys, loaded as a first slice
// at once and the rest in pages (a remote connection then syncs), and kept in step with what the
// window changes. The audit and the table's view follow it (wiring.ts).
//
// Pages are added to the table in batches (every APPLY_EVERY_MS), not one by one: each addition
// sorts and filters the whole table again. When the connection's saved view filters or sorts, no
// partial inventory is shown at all (it would read as "no matches"): the keys so far are counted
// while the rest arrives, and the table opens on all of them, its answer true from the first paint.
import { create } from 'zustand';
import type { Environment } from '../../../shared/audit';
import type { Account, ApiKey } from '../../../shared/domain';
import type { ConnectionInfo, InventoryHead } from '../../../shared/ipc/window-data';
import { type IndexedKey, indexKey } from '../features/keys/key-index';
import { errorMessage, ipc } from '../ipc';
import { needsEveryKey } from './view-store';

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
  /** Keys received so far while a load waits for all of them (a saved view that filters or sorts). */
  heldCount: number | null;

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
const APPLY_EVERY_MS = 250;
const positionsOf = (entries: IndexedKey[]) => new Map(entries.map((entry, i) => [entry.key.id, i]));

export const useInventoryStore = create<InventoryState>((set, get) => {
  // A load started later wins: pages and syncs of an earlier one are dropped.
  let generation = 0;

  const accept = (head: InventoryHead, loading: number) => {
    const entries = head.keys.map((key) => indexKey(key, now()));
    const hold = head.next_cursor !== null && needsEveryKey(head.connection.last_view);
    set({
      error: null,
      connection: head.connection,
      accounts: head.accounts,
      keychainIds: new Set(head.keychain_key_ids),
      offline: head.offline,
      offlineReason: head.offline_reason,
      readOnlyReason: head.read_only_reason,
      environments: head.environments,
      syncedAt: head.synced_at,
      // Held: whatever is on screen stays (nothing on a first load, the previous copy on a sync).
      ...(hold
        ? { heldCount: entries.length }
        : { phase: 'ready', entries, positions: positionsOf(entries), complete: head.next_cursor === null }),
    });
    if (head.next_cursor) {
      loadRest(head.next_cursor, loading, hold ? entries : null).catch((error: unknown) => {
        if (loading !== generation) return;
        set({ phase: 'ready', heldCount: null, error: `Only part of the inventory loaded: ${errorMessage(error)}` });
      });
    }
  };

  /** The pages after the first: added in batches, or all at once when `held` collects them. */
  const loadRest = async (first: string, loading: number, held: IndexedKey[] | null) => {
    let cursor: string | null = first;
    let batch: IndexedKey[] = held ?? [];
    let appliedAt = performance.now();
    while (cursor && loading === generation) {
      const page = await ipc.inventory.page({ cursor });
      if (loading !== generation) return;
      for (const key of page.keys) batch.push(indexKey(key, now()));
      cursor = page.next_cursor;
      if (held) {
        set({ heldCount: batch.length });
      } else if (cursor === null || performance.now() - appliedAt >= APPLY_EVERY_MS) {
        const entries = get().entries.concat(batch);
        set({ entries, positions: positionsOf(entries), complete: cursor === null });
        batch = [];
        appliedAt = performance.now();
      }
    }
    if (loading === generation) performance.mark('inventory-complete'); // for bench:ui
    if (held && loading === generation) {
      set({ phase: 'ready', entries: batch, positions: positionsOf(batch), complete: true, heldCount: null });
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
    heldCount: null,

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
