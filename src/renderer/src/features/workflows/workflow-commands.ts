// Workflow actions as the window runs them: call main, keep the list and the key table in step,
// and say plainly what failed.
import { notifications } from '@mantine/notifications';
import type { ApiKey } from '../../../../shared/domain';
import type { Workflow, WorkflowKind } from '../../../../shared/workflows';
import { errorMessage, ipc } from '../../ipc';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { useWorkflowStore } from '../../stores/workflow-store';

export function failed(title: string, error: unknown): void {
  notifications.show({ color: 'red', title, message: errorMessage(error), autoClose: 8000 });
}

/** Opens the key's rotation or incident (a new one, or the one already under way). */
export async function startWorkflow(kind: WorkflowKind, key: ApiKey, exposedAt: string | null = null): Promise<void> {
  try {
    const workflow = await ipc.workflows.start({
      kind,
      account_id: key.account_id,
      key_id: key.id,
      exposed_at: exposedAt,
    });
    useWorkflowStore.getState().upsert(workflow);
    useUiStore.getState().open({ workflowId: workflow.id });
  } catch (error) {
    failed(kind === 'rotation' ? 'Could not start the rotation' : 'Could not open the incident', error);
  }
}

/** Runs one step in main; the saved workflow replaces the window's copy. Null when it failed. */
export async function runStep<T extends { workflow: Workflow } | Workflow>(
  title: string,
  call: () => Promise<T>,
): Promise<T | null> {
  try {
    const result = await call();
    useWorkflowStore.getState().upsert('workflow' in result ? result.workflow : result);
    return result;
  } catch (error) {
    failed(title, error);
    return null;
  }
}

/** After a step changed a key (the old one revoked), the table takes the platform's copy. */
export async function refreshKey(ref: { id: string; account_id: string }): Promise<void> {
  try {
    const { key } = await ipc.keys.details({ account_id: ref.account_id, key_id: ref.id });
    useInventoryStore.getState().upsertKey(key);
  } catch {
    // The table catches up at the next load; the step itself succeeded.
  }
}
