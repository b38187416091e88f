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
import { inventoryReaction } from './inventory-reaction';
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
  const runAudit = () => {
    const { complete, accounts, entries, environments, headView, connection } = useInventoryStore.getState();
    if (!complete) return useAuditStore.getState().clear(headView?.rule_bits);
    const keys = entries.map((entry) => entry.key);
    const activity = activityOf(connection?.id ?? null, useWorkflowStore.getState().workflows);
    const policy = usePolicyStore.getState().policy;
    useAuditStore.getState().run({ accounts, keys, environments, ...activity }, policy, currentTime());
  };
  const reaudit = () => {
    runAudit();
    useViewStore.getState().follow(source());
  };
  const source = () => {
    const { entries, accounts } = useInventoryStore.getState();
    return { entries, accounts, ruleBits: useAuditStore.getState().ruleBits };
  };

  let laterAudit: ReturnType<typeof setTimeout> | undefined;
  const stopInventory = useInventoryStore.subscribe((inventory, before) => {
    const view = inventory.connection?.last_view ?? null;
    const opening = before.phase === 'loading' && inventory.phase === 'ready';
    // The flag the table filters on: the saved view's as it opens, the admin's own after.
    const flag = opening ? view?.flag : useViewStore.getState().filters.flag;
    const react = inventoryReaction(before, inventory, flag);
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
      runAudit();
    }
    if (react.openView) {
      useSelectionStore.getState().clear(); // ticks belong to the inventory they were made in
      useViewStore.getState().open(source(), view, inventory.headView?.matches);
      if (view) useAppStore.getState().setPage(view.page);
    } else if (react.followView) {
      useViewStore.getState().follow(source());
    }
  });

  const stopPolicy = usePolicyStore.subscribe((policy, before) => {
    if (policy.policy === before.policy) return;
    // The use's counts start at the activity window: a new window needs them counted again.
    if (policy.policy.recentUseDays !== before.policy.recentUseDays) void useKeyUseStore.getState().load();
    reaudit();
  });
  const stopUse = useKeyUseStore.subscribe((use, before) => {
    if (use.use !== before.use && useInventoryStore.getState().complete) reaudit();
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
