// The audit engine: findings from an inventory, a policy and the clock. Pure, so the app, the
// CLI and a report all reach the same verdicts, online or off. Defaults follow the platform's
// best-practice guidance; every number is part of the policy.
import type { Account, ApiKey } from './domain';
import { DAY_MS, isoToMs } from './key-rules';
import { vagueLabelReason } from './label-rules';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

export type RuleId =
  | 'never_used'
  | 'unused'
  | 'expiring'
  | 'expired'
  | 'no_expiration_production'
  | 'no_expiration_parent'
  | 'rotation_overdue'
  | 'vague_label'
  | 'duplicate_label'
  | 'revoked_stale'
  | 'too_many_keys';

export type SuggestedAction = 'delete' | 'revoke' | 'rotate' | 'extend' | 'set_expiration' | 'rename' | 'review';

export type Environment = 'production' | 'staging' | 'development';

export interface AuditPolicy {
  /** A key never used this long after its creation should go. */
  neverUsedGraceDays: number;
  unusedDays: number;
  expiringDays: number;
  rotationDays: Record<Environment, number>;
  /** A revoked key kept longer than this after its revocation should be deleted. */
  revokedRetentionDays: number;
  maxKeysPerAccount: number;
}

export const DEFAULT_AUDIT_POLICY: AuditPolicy = {
  neverUsedGraceDays: 7,
  unusedDays: 90,
  expiringDays: 7,
  rotationDays: { production: 90, staging: 180, development: 365 },
  revokedRetentionDays: 30,
  maxKeysPerAccount: 15,
};

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** null for a finding about an account as a whole. */
  key_id: string | null;
  account_id: string;
  message: string;
  action: SuggestedAction;
}

export interface AuditInventory {
  accounts: Account[];
  keys: ApiKey[];
  /** Environments set by hand, by key id; otherwise read from the label. */
  environments?: Record<string, Environment>;
}

// Tested in this order; `.test` with the i flag allocates nothing, which matters at 100,000 keys.
const ENVIRONMENTS: Array<[RegExp, Environment]> = [
  [/\b(prod|production)\b/i, 'production'],
  [/\b(staging|stage)\b/i, 'staging'],
  [/\b(dev|development|test)\b/i, 'development'],
];

/** The environment a label names (prod/production, staging/stage, dev/development/test), if any. */
export function environmentFromLabel(label: string): Environment | null {
  for (const [pattern, environment] of ENVIRONMENTS) if (pattern.test(label)) return environment;
  return null;
}

const days = (ms: number) => Math.floor(ms / DAY_MS);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// Messages are written only when read: an audit of 100,000 keys may find 150,000 things, and
// building every sentence up front would cost more than the audit itself.
const SENTENCES: Record<RuleId, (n: number, detail: string, policy: AuditPolicy) => string> = {
  never_used: (n) => `was created ${plural(n, 'day')} ago and never used.`,
  unused: (n) => `has not been used for ${plural(n, 'day')}.`,
  expiring: (n) => `expires in ${plural(n, 'day')}: rotate it now.`,
  expired: (n) => `expired ${plural(n, 'day')} ago: delete it, or extend it if it is still needed.`,
  no_expiration_production: () => 'is a production key without an expiration.',
  no_expiration_parent: (_n, account) => `never expires and belongs to ${account}, so it reaches every subaccount.`,
  rotation_overdue: (n, environment, policy) =>
    `is ${plural(n, 'day')} old; ${environment} keys are rotated every ${policy.rotationDays[environment as Environment]} days.`,
  vague_label: (_n, reason) => `: ${reason}.`,
  duplicate_label: () => 'shares its label with another key in the same account.',
  revoked_stale: (n) => `was revoked ${plural(n, 'day')} ago and can be deleted.`,
  too_many_keys: (n, account, policy) => `${account} holds ${n} keys; the policy allows ${policy.maxKeysPerAccount}.`,
};

class KeyFinding implements Finding {
  readonly key_id: string | null;
  readonly account_id: string;
  constructor(
    readonly rule: RuleId,
    readonly severity: Severity,
    readonly action: SuggestedAction,
    private readonly key: ApiKey | null,
    accountId: string,
    private readonly n: number,
    private readonly detail: string,
    private readonly policy: AuditPolicy,
  ) {
    this.key_id = key?.id ?? null;
    this.account_id = accountId;
  }

  get message(): string {
    const sentence = SENTENCES[this.rule](this.n, this.detail, this.policy);
    if (!this.key) return sentence;
    return `“${this.key.label}” (${this.key.partial_key})${sentence.startsWith(':') ? '' : ' '}${sentence}`;
  }

  toJSON(): Finding {
    const { rule, severity, key_id, account_id, message, action } = this;
    return { rule, severity, key_id, account_id, message, action };
  }
}

export function audit(inventory: AuditInventory, policy: AuditPolicy, now: number): Finding[] {
  const findings: Finding[] = [];
  const found = (rule: RuleId, severity: Severity, action: SuggestedAction, key: ApiKey, n = 0, detail = '') =>
    findings.push(new KeyFinding(rule, severity, action, key, key.account_id, n, detail, policy));
  const parents = new Set<string>();
  for (const account of inventory.accounts) if (account.parent_id !== null) parents.add(account.parent_id);
  const names = new Map(inventory.accounts.map((account) => [account.id, account.name]));
  // Labels per account, lower-cased, to spot duplicates; nested maps keep each one small.
  const labelsByAccount = new Map<string, Map<string, number>>();
  const lowerLabels = new Array<string>(inventory.keys.length);
  for (let i = 0; i < inventory.keys.length; i++) {
    const key = inventory.keys[i] as ApiKey;
    let labels = labelsByAccount.get(key.account_id);
    if (!labels) {
      labels = new Map();
      labelsByAccount.set(key.account_id, labels);
    }
    const lower = key.label.trim().toLowerCase();
    lowerLabels[i] = lower;
    labels.set(lower, (labels.get(lower) ?? 0) + 1);
  }

  // The hot loop over every key allocates nothing unless it finds something: no closures, and
  // messages are built only for findings (bench:audit runs it over 100,000 keys).
  for (let i = 0; i < inventory.keys.length; i++) {
    const key = inventory.keys[i] as ApiKey;
    const created = isoToMs(key.created_at);
    const lastUsed = key.last_used_at === null ? null : isoToMs(key.last_used_at);
    const expires = key.expires_at === null ? null : isoToMs(key.expires_at);

    if (key.status === 'revoked') {
      const revoked = key.revoked_at === null ? null : isoToMs(key.revoked_at);
      if (revoked !== null && now - revoked > policy.revokedRetentionDays * DAY_MS) {
        found('revoked_stale', 'info', 'delete', key, days(now - revoked));
      }
    } else {
      if (lastUsed === null && now - created > policy.neverUsedGraceDays * DAY_MS) {
        found('never_used', 'warning', 'delete', key, days(now - created));
      } else if (lastUsed !== null && now - lastUsed > policy.unusedDays * DAY_MS) {
        found('unused', 'warning', 'revoke', key, days(now - lastUsed));
      }
      if (expires !== null && expires <= now) {
        found('expired', 'warning', 'delete', key, days(now - expires));
      } else if (expires !== null && expires - now <= policy.expiringDays * DAY_MS) {
        const left = Math.ceil((expires - now) / DAY_MS);
        found('expiring', left <= 1 ? 'critical' : 'warning', 'rotate', key, left);
      }
      const environment = inventory.environments?.[key.id] ?? environmentFromLabel(key.label);
      if (expires === null && parents.has(key.account_id)) {
        found(
          'no_expiration_parent',
          'critical',
          'set_expiration',
          key,
          0,
          names.get(key.account_id) ?? key.account_id,
        );
      } else if (expires === null && environment === 'production') {
        found('no_expiration_production', 'warning', 'set_expiration', key);
      }
      if (environment !== null && now - created > policy.rotationDays[environment] * DAY_MS) {
        found('rotation_overdue', 'warning', 'rotate', key, days(now - created), environment);
      }
    }

    const vague = vagueLabelReason(key.label);
    if (vague) found('vague_label', 'info', 'rename', key, 0, vague);
    if ((labelsByAccount.get(key.account_id)?.get(lowerLabels[i] as string) ?? 0) > 1) {
      found('duplicate_label', 'info', 'rename', key);
    }
  }

  for (const [accountId, labels] of labelsByAccount) {
    let count = 0;
    for (const n of labels.values()) count += n;
    if (count > policy.maxKeysPerAccount) {
      findings.push(
        new KeyFinding(
          'too_many_keys',
          'warning',
          'review',
          null,
          accountId,
          count,
          names.get(accountId) ?? accountId,
          policy,
        ),
      );
    }
  }
  return findings;
}

export function summarize(findings: Finding[]): Record<Severity, number> {
  const summary: Record<Severity, number> = { info: 0, warning: 0, critical: 0 };
  for (const finding of findings) summary[finding.severity]++;
  return summary;
}

/** True when some finding is at least as severe as the threshold. */
export const reaches = (findings: Finding[], threshold: Severity): boolean =>
  findings.some((finding) => SEVERITIES.indexOf(finding.severity) >= SEVERITIES.indexOf(threshold));
