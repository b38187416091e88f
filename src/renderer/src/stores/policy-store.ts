// The audit policy set in Settings: read from main, changed there, and nothing else.
import { create } from 'zustand';
import { type AuditPolicy, DEFAULT_AUDIT_POLICY } from '../../../shared/audit';
import type { PolicyState } from '../../../shared/ipc/window-data';
import { ipc } from '../ipc';

interface PolicyStoreState {
  policy: AuditPolicy;
  isDefault: boolean;
  load(): Promise<void>;
  set(policy: AuditPolicy): Promise<void>;
  reset(): Promise<void>;
}

const fromMain = (state: PolicyState) => ({ policy: state.policy, isDefault: state.is_default });

export const usePolicyStore = create<PolicyStoreState>((set) => ({
  policy: DEFAULT_AUDIT_POLICY,
  isDefault: true,
  async load() {
    set(fromMain(await ipc.audit.policy()));
  },
  async set(policy) {
    set(fromMain(await ipc.audit.setPolicy({ policy })));
  },
  async reset() {
    set(fromMain(await ipc.audit.resetPolicy()));
  },
}));
