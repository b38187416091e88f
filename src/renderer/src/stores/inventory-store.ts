// The active connection's inventory in the window: keys, accounts, filters, sort and the rows they
// give, and the audit of it all. Loads the first slice at once and the rest in pages; remote
// connections then sync. The audit runs again whenever keys, environments or the policy change.
import { create } from 'zustand';
import {
  type AuditPolicy,
  type AuditResult,
  audit,
  DEFAULT_AUDIT_POLICY,
  type Environment,
  RULES,
  ruleBit,
  type Severity,
} from '../../../shared/audit';
import type { Account, ApiKey } from '../../../shared/domain';
import type { ConnectionInfo, InventoryHead, SavedView } from '../../../shared/ipc/window-data';
import {
  accountScope,
  type Filters,
  filterRows,
  type IndexedKey,
  indexKey,
  type Sort,
  sortOrder,
} from '../features/keys/key-index';
import { errorMessage, ipc } from '../ipc';
import { useAppStore } from './app-store';

export const DEFAULT_FILTERS: Filters = {
  account_id: null,
  include_subaccounts: true,
  status: null,
  flag: null,
  search: '',
};
export const DEFAULT_SORT: Sort = { column: 'created_at', direction: 'desc' };

interface InventoryState {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  connection: ConnectionInfo | null;
  accounts: Account[];
  entries: IndexedKey[];
  positions: Map<string, number>;
  order: Int32Array;
  rows: Int32Array;
  /** All pages are in. */
  complete: boolean;
  keychainIds: Set<string>;
  offline: boolean;
  offlineReason: string | null;
  /** An imported file: keys cannot be changed. */
  readOnlyReason: string | null;
  environments: Record<string, Environment>;
  policy: AuditPolicy;
  policyIsDefault: boolean;
  /** The audit of every loaded key; `ruleBits[i]` are the rules that found something on `entries[i]`. */
  audit: AuditResult | null;
  ruleBits: Uint16Array;
  /** Kept with the audit so the navigation and the title read them without walking the findings. */
  auditSummary: Record<Severity, number>;
  expiringCount: number;
  syncedAt: string | null;
  syncing: boolean;
  syncedCount: number | null;
  filters: Filters;
  sort: Sort;
  /** performance.now() when the current filter was asked for (the table measures its render from it). */
  filterAskedAt: number | null;

  load(): Promise<void>;
  sync(): Promise<void>;
  setFilters(patch: Partial<Filters>): void;
  setSort(sort: Sort): void;
  upsertKey(key: ApiKey): void;
  removeKey(keyId: string): void;
  setInKeychain(keyId: string, stored: boolean): void;
  /** Several keys changed at once (a bulk action): one re-sort and one audit for all of them. */
  applyChanges(changed: ApiKey[], removed: string[]): void;
  setEnvironment(keyId: string, environment: Environment | null): Promise<void>;
  loadPolicy(): Promise<void>;
  setPolicy(policy: AuditPolicy): Promise<void>;
  resetPolicy(): Promise<void>;
}

const now = () => Date.now();
const EMPTY = new Int32Array(0);

let saveTimer: ReturnType<typeof setTimeout> | undefined;
let loadGeneration = 0;

export const useInventoryStore = create<InventoryState>((set, get) => {
  /** Recomputes order and rows after keys, sort or filters changed; the audit when keys did. */
  const refresh = (patch: Partial<InventoryState>, resort: boolean, reaudit = false) => {
    const next = { ...get(), ...patch };
    const order = resort ? sortOrder(next.entries, next.sort, next.accounts) : next.order;
    if (reaudit) {
      const keys = next.entries.map((entry) => entry.key);
      next.audit = audit({ accounts: next.accounts, keys, environments: next.environments }, next.policy, now());
      next.ruleBits = next.audit.ruleBitsByKey();
      next.auditSummary = next.audit.summary();
      const expiring = ruleBit('expiring');
      next.expiringCount = next.ruleBits.reduce((count, bits) => count + (bits & expiring ? 1 : 0), 0);
    }
    const scope = accountScope(next.accounts, next.filters.account_id, next.filters.include_subaccounts);
    set({
      ...patch,
      order,
      audit: next.audit,
      ruleBits: next.ruleBits,
      auditSummary: next.auditSummary,
      expiringCount: next.expiringCount,
      rows: filterRows(next.entries, next.ruleBits, order, next.filters, scope),
    });
  };

  const saveView = () => {
    const { connection, filters, sort } = get();
    if (!connection) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      const view: SavedView = { page: useAppStore.getState().page, ...filters, sort };
      void ipc.connections.saveView({ id: connection.id, view }).catch(() => {});
    }, 400);
  };

  const accept = (head: InventoryHead, generation: number) => {
    const view = head.connection.last_view;
    const entries = head.keys.map((key) => indexKey(key, now()));
    refresh(
      {
        phase: 'ready',
        error: null,
        connection: head.connection,
        accounts: head.accounts,
        entries,
        positions: new Map(entries.map((entry, i) => [entry.key.id, i])),
        complete: head.next_cursor === null,
        keychainIds: new Set(head.keychain_key_ids),
        offline: head.offline,
        offlineReason: head.offline_reason,
        readOnlyReason: head.read_only_reason,
        environments: head.environments,
        syncedAt: head.synced_at,
        filters: view ? { ...DEFAULT_FILTERS, ...view, flag: knownRule(view.flag) } : get().filters,
        sort: view?.sort ?? get().sort,
      },
      true,
      head.next_cursor === null,
    );
    if (head.next_cursor) {
      loadRest(head.next_cursor, generation).catch((error: unknown) => {
        if (generation === loadGeneration) set({ error: `Only part of the inventory loaded: ${errorMessage(error)}` });
      });
    }
  };

  /** The pages after the first; dropped if another load started meanwhile. */
  const loadRest = async (first: string, generation: number) => {
    let cursor: string | null = first;
    while (cursor && generation === loadGeneration) {
      const page = await ipc.inventory.page({ cursor });
      if (generation !== loadGeneration) return;
      const { entries, positions } = get();
      const added = page.keys.map((key) => indexKey(key, now()));
      for (const [i, entry] of added.entries()) positions.set(entry.key.id, entries.length + i);
      cursor = page.next_cursor;
      // Duplicates and account sizes need every key: the audit waits for the last page.
      refresh(
        { entries: entries.concat(added), positions: new Map(positions), complete: cursor === null },
        true,
        cursor === null,
      );
    }
  };

  return {
    phase: 'idle',
    error: null,
    connection: null,
    accounts: [],
    entries: [],
    positions: new Map(),
    order: EMPTY,
    rows: EMPTY,
    complete: false,
    keychainIds: new Set(),
    offline: false,
    offlineReason: null,
    readOnlyReason: null,
    environments: {},
    policy: DEFAULT_AUDIT_POLICY,
    policyIsDefault: true,
    audit: null,
    ruleBits: new Uint16Array(0),
    auditSummary: { critical: 0, warning: 0, info: 0 },
    expiringCount: 0,
    syncedAt: null,
    syncing: false,
    syncedCount: null,
    filters: DEFAULT_FILTERS,
    sort: DEFAULT_SORT,
    filterAskedAt: null,

    async load() {
      const generation = ++loadGeneration;
      set({ phase: 'loading', error: null, filters: DEFAULT_FILTERS, sort: DEFAULT_SORT });
      try {
        const [head, policy] = await Promise.all([ipc.inventory.load(), ipc.audit.policy()]);
        if (generation !== loadGeneration) return;
        set({ policy: policy.policy, policyIsDefault: policy.is_default });
        if (head.connection.last_view) useAppStore.getState().setPage(head.connection.last_view.page);
        accept(head, generation);
        if (head.connection.kind === 'remote') await get().sync();
      } catch (error) {
        if (generation === loadGeneration) set({ phase: 'error', error: errorMessage(error) });
      }
    },

    async sync() {
      const generation = loadGeneration;
      set({ syncing: true, syncedCount: 0 });
      try {
        const head = await ipc.inventory.sync();
        if (generation === loadGeneration) accept(head, generation);
      } catch (error) {
        set({ error: errorMessage(error) });
      } finally {
        set({ syncing: false, syncedCount: null });
      }
    },

    setFilters(patch) {
      refresh({ filters: { ...get().filters, ...patch }, filterAskedAt: performance.now() }, false);
      saveView();
    },

    setSort(sort) {
      refresh({ sort }, true);
      saveView();
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
      refresh({ entries: next, positions: new Map(positions) }, true, true);
    },

    removeKey(keyId) {
      const entries = get().entries.filter((entry) => entry.key.id !== keyId);
      const keychainIds = new Set(get().keychainIds);
      keychainIds.delete(keyId);
      refresh({ entries, positions: new Map(entries.map((entry, i) => [entry.key.id, i])), keychainIds }, true, true);
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
      const keychainIds = new Set([...get().keychainIds].filter((id) => !gone.has(id)));
      refresh({ entries, positions: new Map(entries.map((entry, i) => [entry.key.id, i])), keychainIds }, true, true);
    },

    async setEnvironment(keyId, environment) {
      const { environments } = await ipc.keys.setEnvironment({ key_id: keyId, environment });
      refresh({ environments }, false, true);
    },

    async loadPolicy() {
      const state = await ipc.audit.policy();
      refresh({ policy: state.policy, policyIsDefault: state.is_default }, false, true);
    },

    async setPolicy(policy) {
      const state = await ipc.audit.setPolicy({ policy });
      refresh({ policy: state.policy, policyIsDefault: state.is_default }, false, true);
    },

    async resetPolicy() {
      const state = await ipc.audit.resetPolicy();
      refresh({ policy: state.policy, policyIsDefault: state.is_default }, false, true);
    },

    setInKeychain(keyId, stored) {
      const keychainIds = new Set(get().keychainIds);
      if (stored) keychainIds.add(keyId);
      else keychainIds.delete(keyId);
      set({ keychainIds });
    },
  };
});

/** A saved view from an older version may name a flag that is no audit rule. */
const knownRule = (flag: string | null): Filters['flag'] =>
  (RULES as readonly string[]).includes(flag ?? '') ? (flag as Filters['flag']) : null;

/** Keys cannot change here: the platform is unreachable, or this is an imported file. */
export const selectReadOnly = (state: InventoryState): boolean => state.offline || state.readOnlyReason !== null;

/** Progress events from a remote sync. */
export function followSyncProgress(onEvent: typeof import('../ipc').onEvent): () => void {
  return onEvent('inventory:progress', (progress) => {
    const { connection } = useInventoryStore.getState();
    if (connection?.id === progress.connection_id) useInventoryStore.setState({ syncedCount: progress.loaded });
  });
}
