// The active connection's inventory in the window: its accounts and keys, and kept in step with
// what the window changes. The audit and the table's view follow it (wiring.ts).
//
// Loading asks main for a first slice (enough for the first screen) and for every key, both at
// once: main writes the whole inventory while the window draws. Every key arrives in one transfer,
// as columns (shared/key-columns.ts). When the connection's saved view filters or sorts, the first
// slice is not what main answers with: it works the view out over every key and sends its first
// rows and counts, so the table's answer is true from the first paint (when main could not, the
// window waits for every key rather than show a partial answer, which would read as "no matches").
// Where the loading is: `stage` (inventory-load.ts); `entries` is every key, never a part of them.
import { create } from 'zustand';
import type { Environment } from '../../../shared/audit';
import type { Account, ApiKey } from '../../../shared/domain';
import type { ConnectionInfo, InventoryHead, InventoryKeys, SyncProgress } from '../../../shared/ipc/window-data';
import { type KeyColumns, keysOfColumns } from '../../../shared/key-columns';
import { carrySearchText, type IndexedKey, indexKey } from '../../../shared/key-index';
import { errorMessage, ipc } from '../ipc';
import { firstScreenDrawn } from '../lib/first-screen';
import { currentTime } from './clock-store';
import {
  ASKING,
  afterHead,
  COMPLETE,
  IDLE,
  isComplete,
  type LoadStage,
  shownEntries,
  withRows,
} from './inventory-load';

/** One key changed in place: `entries` are `from` but at `position` (the audit and the view redo that key only). */
export interface OneKeyChange {
  from: IndexedKey[];
  position: number;
}

interface InventoryState {
  stage: LoadStage;
  /** A failure after something was shown (the rest of the keys, a sync). A first load's is in `stage`. */
  error: string | null;
  connection: ConnectionInfo | null;
  accounts: Account[];
  /** Every key, once `stage` is complete (a previous copy's while a sync brings them again); else none. */
  entries: IndexedKey[];
  /** Set by a change of one existing key, with the entries it made. */
  oneKeyChange: OneKeyChange | null;
  keychainIds: Set<string>;
  offline: boolean;
  offlineReason: string | null;
  /** An imported file: keys cannot be changed. */
  readOnlyReason: string | null;
  environments: Record<string, Environment>;
  syncedAt: string | null;
  syncing: boolean;
  /** A sync's progress: changes read so far, of how many (null until the platform says). */
  syncedCount: number | null;
  syncTotal: number | null;

  load(): Promise<void>;
  sync(): Promise<void>;
  upsertKey(key: ApiKey): void;
  removeKey(keyId: string): void;
  setInKeychain(keyId: string, stored: boolean): void;
  /** A new or changed account. */
  upsertAccount(account: Account): void;
  /** Several keys changed, new or deleted at once (a bulk action, a sync): one update for all of them. */
  applyChanges(changed: ApiKey[], removed: string[]): void;
  setEnvironment(keyId: string, environment: Environment | null): Promise<void>;
  /** A sync's progress event from main, with a full sync's page of keys (KeyColumns JSON) to show at once. */
  syncProgress(progress: SyncProgress): void;
}

// Where each key is in `entries`, made when first asked for (100,000 keys take a while to map, and
// a load need not wait for it); one map per entries array.
const positions = new WeakMap<IndexedKey[], Map<string, number>>();
const positionsOf = (entries: IndexedKey[]): Map<string, number> => {
  let map = positions.get(entries);
  if (!map) {
    map = new Map(entries.map((entry, i) => [entry.key.id, i]));
    positions.set(entries, map);
  }
  return map;
};

/** Where a key is in the inventory's entries (undefined: not there). */
export const positionOf = (entries: IndexedKey[], keyId: string): number | undefined => positionsOf(entries).get(keyId);

export const useInventoryStore = create<InventoryState>((set, get) => {
  // A load started later wins: an earlier one's keys are dropped. Each accepted head counts too
  // (a remote connection's cached head, then its synced one).
  let generation = 0;
  let accepted = 0;
  // What the window changed while every key was on its way (null: deleted): laid over them on arrival.
  const changedWhileLoading = new Map<string, ApiKey | null>();
  let awaitingKeys = false;
  // The sync under way started with no key shown, so the pages it shows are every key it brings.
  let fedFromEmpty = false;

  const accept = (head: InventoryHead, loading: number, everyKey?: Promise<InventoryKeys>) => {
    const at = currentTime();
    const rows = head.keys.map((key) => indexKey(key, at));
    const stage = afterHead(head, rows);
    const mine = ++accepted;
    changedWhileLoading.clear();
    awaitingKeys = !head.complete;
    set({
      stage,
      error: null,
      connection: head.connection,
      accounts: head.accounts,
      // Every key or none: the head's rows live in the stage.
      entries: head.complete ? rows : [],
      oneKeyChange: null,
      keychainIds: new Set(head.keychain_key_ids),
      offline: head.offline,
      offlineReason: head.offline_reason,
      readOnlyReason: head.read_only_reason,
      environments: head.environments,
      syncedAt: head.synced_at,
    });
    if (head.complete) return;
    const current = () => loading === generation && mine === accepted;
    const holding = stage.kind === 'holding';
    takeEveryKey(head.connection.id, current, everyKey ?? ipc.inventory.keys(), holding).catch((error: unknown) => {
      if (!current()) return;
      const message = `Only part of the inventory loaded: ${errorMessage(error)}`;
      set(holding ? { stage: { kind: 'failed', message } } : { error: message });
    });
  };

  const takeEveryKey = async (
    connectionId: string,
    current: () => boolean,
    reply: Promise<InventoryKeys>,
    holding: boolean,
  ) => {
    const { connection_id, columns } = await reply;
    // The first slice is drawn first; a held view has nothing to draw until every key is in.
    if (!holding) await firstScreenDrawn;
    if (!current()) return;
    if (connection_id !== connectionId)
      throw new Error('the connection changed while its keys were loading; load again.');
    let keys = keysOfColumns(JSON.parse(columns) as KeyColumns);
    if (changedWhileLoading.size > 0) {
      keys = keys.filter((key) => !changedWhileLoading.has(key.id));
      for (const key of changedWhileLoading.values()) if (key) keys.push(key);
    }
    awaitingKeys = false;
    const at = currentTime();
    const entries = keys.map((key) => indexKey(key, at));
    performance.mark('inventory-complete'); // for bench:ui
    set({ stage: COMPLETE, entries, oneKeyChange: null });
  };

  /** The keys on screen, changed by `change`: the head's rows while only they are in, else every key. */
  const changeShown = (change: (shown: IndexedKey[]) => IndexedKey[] | null) => {
    const { stage, entries } = get();
    if (stage.kind === 'head') {
      const rows = change(stage.rows);
      if (rows) set({ stage: withRows(stage, rows) });
    } else if (stage.kind === 'complete') {
      const next = change(entries);
      if (next) set({ entries: next, oneKeyChange: null });
    }
    // Asked for or held: nothing is shown; every key arrives with the change laid over it.
  };

  /** Keys changed or new (new ones go last) and keys gone, in one new array (null: nothing to do). */
  const mergeKeys = (shown: IndexedKey[], changed: ApiKey[], removed: string[]): IndexedKey[] | null => {
    if (changed.length === 0 && removed.length === 0) return null;
    const gone = new Set(removed);
    const byId = new Map(changed.map((key) => [key.id, key]));
    const at = currentTime();
    const merged: IndexedKey[] = [];
    for (const entry of shown) {
      if (gone.has(entry.key.id)) continue;
      const key = byId.get(entry.key.id);
      byId.delete(entry.key.id);
      merged.push(key ? indexKey(key, at) : entry);
    }
    for (const key of byId.values()) merged.push(indexKey(key, at));
    return merged;
  };

  const forgetKeychain = (removed: string[]) => {
    if (removed.length === 0) return;
    const gone = new Set(removed);
    set({ keychainIds: new Set([...get().keychainIds].filter((id) => !gone.has(id))) });
  };

  /** Notes a change the window made, so every key arriving after it does not undo it. */
  const noteChange = (keyId: string, key: ApiKey | null) => {
    if (awaitingKeys) changedWhileLoading.set(keyId, key);
  };

  /** Every key again (after a full sync): what is on screen stays until they are all in. */
  const reloadEveryKey = async (connectionId: string, loading: number) => {
    const mine = ++accepted;
    changedWhileLoading.clear();
    awaitingKeys = true;
    await takeEveryKey(connectionId, () => loading === generation && mine === accepted, ipc.inventory.keys(), true);
  };

  return {
    stage: IDLE,
    error: null,
    connection: null,
    accounts: [],
    entries: [],
    oneKeyChange: null,
    keychainIds: new Set(),
    offline: false,
    offlineReason: null,
    readOnlyReason: null,
    environments: {},
    syncedAt: null,
    syncing: false,
    syncedCount: null,
    syncTotal: null,

    async load() {
      const loading = ++generation;
      set({ stage: ASKING, error: null });
      try {
        const asked = ipc.inventory.load();
        // Asked at once: main writes every key while the window draws its first screen.
        const everyKey = ipc.inventory.keys();
        everyKey.catch(() => {}); // a failure is reported where it is awaited (a small inventory never does)
        const head = await asked;
        if (loading !== generation) return;
        accept(head, loading, everyKey);
        // The cached copy is on screen: the sync runs behind it, its progress shown (not awaited, so
        // whoever opened the connection, such as the add dialog, is done).
        if (head.connection.kind === 'remote') void get().sync();
      } catch (error) {
        if (loading === generation) set({ stage: { kind: 'failed', message: errorMessage(error) } });
      }
    },

    async sync() {
      const loading = generation;
      // A first sync's pages are shown as they land: then every key may already be here.
      fedFromEmpty = get().entries.length === 0 && get().stage.kind === 'complete';
      set({ syncing: true, syncedCount: 0, syncTotal: null });
      try {
        const answer = await ipc.inventory.sync();
        if (loading !== generation) return;
        set({
          connection: answer.connection,
          accounts: answer.accounts,
          keychainIds: new Set(answer.keychain_key_ids),
          offline: answer.offline,
          offlineReason: answer.offline_reason,
          syncedAt: answer.synced_at,
        });
        if (answer.changes) get().applyChanges(answer.changes.keys, answer.changes.removed);
        else if (!(fedFromEmpty && get().entries.length === answer.key_count))
          await reloadEveryKey(answer.connection.id, loading);
      } catch (error) {
        set({ error: errorMessage(error) });
      } finally {
        set({ syncing: false, syncedCount: null, syncTotal: null });
      }
    },

    upsertKey(key) {
      noteChange(key.id, key);
      const { stage, entries } = get();
      const entry = indexKey(key, currentTime());
      // A scan finds one key in a millisecond; mapping every key's position the first time takes 30.
      const known = positions.get(entries);
      const at = known ? (known.get(key.id) ?? -1) : entries.findIndex((each) => each.key.id === key.id);
      if (stage.kind !== 'complete' || at < 0) return changeShown((shown) => mergeKeys(shown, [key], []));
      // One key in place: the same positions, its search text kept while its label is.
      const next = entries.slice();
      next[at] = entry;
      if (known) positions.set(next, known);
      carrySearchText(entries, next, at);
      set({ entries: next, oneKeyChange: { from: entries, position: at } });
    },

    removeKey(keyId) {
      get().applyChanges([], [keyId]);
    },

    applyChanges(changed, removed) {
      for (const key of changed) noteChange(key.id, key);
      for (const keyId of removed) noteChange(keyId, null);
      changeShown((shown) => mergeKeys(shown, changed, removed));
      forgetKeychain(removed);
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

    syncProgress({ connection_id, loaded, total, keys, removed }) {
      if (get().connection?.id !== connection_id || !get().syncing) return;
      set({ syncedCount: loaded, syncTotal: total });
      // A full sync's page: shown as it lands (a key already shown is updated in place).
      if (keys === null) return;
      get().applyChanges(keysOfColumns(JSON.parse(keys) as KeyColumns), removed);
    },
  };
});

/** Every key is in. */
export const selectComplete = (state: InventoryState): boolean => isComplete(state.stage);

/** The keys on screen: the head's rows while only they are in, else every key. */
export const selectShown = (state: InventoryState): IndexedKey[] => shownEntries(state.stage, state.entries);

/** Keys cannot change here: the platform is unreachable, or this is an imported file. */
export const selectReadOnly = (state: InventoryState): boolean => state.offline || state.readOnlyReason !== null;

/** Why keys cannot change here, in words for a tooltip or a menu; null when they can. */
export const selectWhyReadOnly = (state: InventoryState): string | null =>
  state.readOnlyReason ??
  (state.offline
    ? `Offline: ${state.offlineReason ?? 'the platform cannot be reached.'} This needs the platform.`
    : null);
