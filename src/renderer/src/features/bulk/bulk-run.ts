// Runs a planned bulk action key by key, reporting progress; the table and the audit take all the
// results in one update at the end, not one re-audit per key.

import type { BulkPlan } from '../../../../shared/bulk-plan';
import type { ApiKey } from '../../../../shared/domain';
import { AppError } from '../../../../shared/errors';
import { errorMessage, ipc } from '../../ipc';
import { useInventoryStore } from '../../stores/inventory-store';

export interface BulkOutcome {
  key: ApiKey;
  ok: boolean;
  /** What happened, or why it failed (the platform's own message). */
  detail: string;
  /** The key as the platform has it after the change (not for delete). */
  after?: ApiKey;
}

export async function runBulk(plan: BulkPlan, onProgress: (done: number) => void): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  const changed: ApiKey[] = [];
  const removed: string[] = [];
  for (const { key, change, expires_at } of plan.changes) {
    const ref = { account_id: key.account_id, key_id: key.id };
    try {
      let after: ApiKey | undefined;
      if (plan.action === 'revoke') after = await ipc.keys.revoke(ref);
      else if (plan.action === 'reactivate') after = await ipc.keys.reactivate(ref);
      else if (plan.action === 'extend') after = await ipc.keys.update({ ...ref, expires_at: expires_at ?? null });
      else {
        await ipc.keys.delete(ref);
        removed.push(key.id);
      }
      if (after) changed.push(after);
      outcomes.push({ key, ok: true, detail: change, ...(after ? { after } : {}) });
    } catch (error) {
      outcomes.push({ key, ok: false, detail: errorMessage(error) });
      // Gone from the platform (deleted elsewhere): the table stops showing it too.
      if (error instanceof AppError && error.code === 'not_found') removed.push(key.id);
    }
    onProgress(outcomes.length);
  }
  useInventoryStore.getState().applyChanges(changed, removed);
  return outcomes;
}
