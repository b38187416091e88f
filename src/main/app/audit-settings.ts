// The audit policy the admin set in Settings, kept in the app's database; the defaults until then.
import { type AuditPolicy, DEFAULT_AUDIT_POLICY } from '../../shared/audit';
import { auditPolicySchema } from '../../shared/audit/schemas';
import type { PolicyState } from '../../shared/ipc/window-data';
import type { AppStateRepo } from '../store/app-state-repo';

const POLICY_SETTING = 'audit_policy';

export class AuditSettings {
  constructor(private readonly state: AppStateRepo) {}

  get(): PolicyState {
    const stored = this.state.getSetting(POLICY_SETTING);
    if (stored === undefined) return { policy: DEFAULT_AUDIT_POLICY, is_default: true };
    // A policy saved by an older version lacks newer numbers: those take their defaults.
    const parsed = auditPolicySchema.safeParse({ ...DEFAULT_AUDIT_POLICY, ...safeJson(stored) });
    return parsed.success
      ? { policy: parsed.data, is_default: false }
      : { policy: DEFAULT_AUDIT_POLICY, is_default: true };
  }

  set(policy: AuditPolicy): PolicyState {
    this.state.setSetting(POLICY_SETTING, JSON.stringify(policy));
    return this.get();
  }

  reset(): PolicyState {
    this.state.deleteSetting(POLICY_SETTING);
    return this.get();
  }
}

function safeJson(text: string): object {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}
