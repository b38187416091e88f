// How the window's stores follow each other, in one place: each store has one job and never calls
// another. The inventory and the policy feed the audit; the inventory and the audit feed the
// table's view; an opened inventory restores its saved view and page; the admin's view changes are
// saved to the connection; sync progress from main reaches the inventory. The keys' use and the
// incidents' exposures feed the audit's activity rules.
import type { SavedView } from '../../../shared/ipc/window-data';
import { ipc, onEvent } from '../ipc';
import { useAppStore } from './app-store';
import { useAuditStore } from './audit-store';
import { currentTime } from './clock-store';
import { headMatches, headRuleBits, isComplete, shownEntries } from './inventory-load';
import { inventoryReaction, opens } from './inventory-reaction';
import { useInventoryStore } from './inventory-store';
import { activityOf, exposuresOf, rotationsOf, useKeyUseStore } from './key-use-store';
import { usePolicyStore } from './policy-store';
import { useScanStore } from './scan-store';
import { useSelectionStore } from './selection-store';
import { useViewStore } from './view-store';
import { useWorkflowStore } from './workflow-store';

const SAVE_VIEW_AFTER_MS = 400;

/** Connects the stores; returns the function that disconnects them. */
export function wireStores(): () => void {
  // Duplicate labels and account sizes need every key: the audit waits for them (a saved view on a
  // flag shows the flags main found on its first rows until then).
  // `onlyKey`: only the key at that position changed since the last audit.
  const runAudit = (onlyKey: number | null = null) => {
    const { stage, accounts, entries, environments, connection } = useInventoryStore.getState();
    if (!isComplete(stage)) return useAuditStore.getState().clear(headRuleBits(stage));
    const keys = entries.map((entry) => entry.key);
    const activity = activityOf(connection?.id ?? null, useWorkflowStore.getState().workflows);
    const policy = usePolicyStore.getState().policy;
    const inventory = { accounts, keys, environments, ...activity };
    if (onlyKey === null) useAuditStore.getState().run(inventory, policy, currentTime());
    else useAuditStore.getState().redoKey(inventory, policy, currentTime(), onlyKey);
  };
  const reaudit = () => {
    runAudit();
    useViewStore.getState().follow(source());
  };
  // What the table shows: the head's rows while only they are in.
  const source = () => {
    const { stage, entries, accounts } = useInventoryStore.getState();
    return { entries: shownEntries(stage, entries), accounts, ruleBits: useAuditStore.getState().ruleBits };
  };

  let laterAudit: ReturnType<typeof setTimeout> | undefined;
  const stopInventory = useInventoryStore.subscribe((inventory, before) => {
    const view = inventory.connection?.last_view ?? null;
    // The flag the table filters on: the saved view's as it opens, the admin's own after.
    const flag = opens(before, inventory) ? view?.flag : useViewStore.getState().filters.flag;
    const react = inventoryReaction(before, inventory, flag);
    const started = performance.now();
    // A pending audit is replaced by the next one, and left alone by an update that changes nothing it reads.
    if (react.audit !== 'none') clearTimeout(laterAudit);
    // The audit runs again when the use is in; a sync brings the platform's latest.
    if (react.loadUse) void useKeyUseStore.getState().load();
    if (react.audit === 'later') {
      useAuditStore.getState().clear();
      laterAudit = setTimeout(() => {
        runAudit();
        useViewStore.getState().follow(source());
      });
    } else if (react.audit === 'now') {
      runAudit(react.onlyKey);
    }
    if (react.openView) {
      useSelectionStore.getState().clear(); // ticks belong to the inventory they were made in
      useViewStore.getState().open(source(), view, headMatches(inventory.stage));
      if (view) useAppStore.getState().setPage(view.page);
    } else if (react.followView && react.onlyKey !== null) {
      useViewStore.getState().followOne(source(), react.onlyKey);
    } else if (react.followView) {
      useViewStore.getState().follow(source());
    }
    // For bench:ui: what a change cost the stores, one key's path against everything's.
    if (react.audit === 'now' && isComplete(inventory.stage))
      performance.measure(react.onlyKey === null ? 'inventory-change' : 'inventory-change-one-key', { start: started });
  });

  const stopPolicy = usePolicyStore.subscribe((policy, before) => {
    if (policy.policy === before.policy) return;
    // The use's counts start at the activity window: a new window needs them counted again.
    if (policy.policy.recentUseDays !== before.policy.recentUseDays) void useKeyUseStore.getState().load();
    reaudit();
  });
  const stopUse = useKeyUseStore.subscribe((use, before) => {
    if (use.use !== before.use && isComplete(useInventoryStore.getState().stage)) reaudit();
  });
  const stopWorkflows = useWorkflowStore.subscribe((workflows, before) => {
    const connection = useInventoryStore.getState().connection;
    if (workflows.workflows === before.workflows || !connection) return;
    // What the audit reads of the workflows: the incidents' exposures and the rotations' pairs.
    const read = (all: typeof workflows.workflows) =>
      JSON.stringify([exposuresOf(all, connection.id), rotationsOf(all, connection.id)]);
    if (read(workflows.workflows) !== read(before.workflows)) reaudit();
  });

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const stopView = useViewStore.subscribe((view, before) => {
    if (view.edits === before.edits) return;
    const connection = useInventoryStore.getState().connection;
    if (!connection) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      const saved: SavedView = {
        page: useAppStore.getState().page,
        ...view.filters,
        sort: view.sort,
        columns: view.columns,
      };
      void ipc.connections.saveView({ id: connection.id, view: saved }).catch(() => {});
    }, SAVE_VIEW_AFTER_MS);
  });

  const stopProgress = onEvent('inventory:progress', (progress) => useInventoryStore.getState().syncProgress(progress));

  const stopScanProgress = onEvent('scan:progress', (event) => useScanStore.getState().progressed(event));
  const stopScanDone = onEvent('scan:done', (event) => useScanStore.getState().finished(event));

  return () => {
    clearTimeout(saveTimer);
    clearTimeout(laterAudit);
    for (const stop of [
      stopInventory,
      stopPolicy,
      stopUse,
      stopWorkflows,
      stopView,
      stopProgress,
      stopScanProgress,
      stopScanDone,
    ])
      stop();
  };
}
