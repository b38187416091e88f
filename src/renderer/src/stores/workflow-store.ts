// Rotations and incidents as main has them, and the variable name for NAME=value copies.
import { create } from 'zustand';
import type { Workflow } from '../../../shared/workflows';
import { ipc } from '../ipc';

interface WorkflowState {
  workflows: Workflow[];
  envVar: string;
  load(): Promise<void>;
  upsert(workflow: Workflow): void;
  setEnvVar(name: string): Promise<void>;
}

export const useWorkflowStore = create<WorkflowState>((set, get) => ({
  workflows: [],
  envVar: 'ITELLICO_API_KEY',
  async load() {
    const { workflows, env_var } = await ipc.workflows.list();
    set({ workflows, envVar: env_var });
  },
  upsert(workflow) {
    set({ workflows: [workflow, ...get().workflows.filter((known) => known.id !== workflow.id)] });
  },
  async setEnvVar(name) {
    set({ envVar: (await ipc.workflows.setEnvVar({ name })).env_var });
  },
}));

/** Old keys of finished rotations waiting for their scheduled deletion: key id → day. */
export const selectScheduledDeletions = (state: Pick<WorkflowState, 'workflows'>): Map<string, string> =>
  new Map(
    state.workflows.flatMap((workflow) =>
      workflow.deletion_due_at ? [[workflow.old_key.id, workflow.deletion_due_at.slice(0, 10)] as const] : [],
    ),
  );
