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
