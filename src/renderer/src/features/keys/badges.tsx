import { Badge } from '@mantine/core';
import { type AuditPolicy, type RuleId, ruleBit, type Severity } from '../../../../shared/audit';
import type { KeyStatus } from '../../../../shared/domain';

const STATUS_COLOR: Record<KeyStatus, string> = { active: 'teal', revoked: 'gray', expired: 'red' };

export function StatusBadge({ status }: { status: KeyStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm" data-testid="status-badge">
      {status}
    </Badge>
  );
}

/** A rule as a flag in the key table: a short label, and a tone from its usual severity. */
export const RULE_FLAGS: Record<RuleId, { label: string; tone: Severity }> = {
  used_after_exposure: { label: 'used after exposure', tone: 'critical' },
  no_expiration_parent: { label: 'no expiry · parent', tone: 'critical' },
  refused_attempts: { label: 'still presented', tone: 'warning' },
  new_source: { label: 'new source', tone: 'warning' },
  many_sources: { label: 'many sources', tone: 'warning' },
  expired: { label: 'expired', tone: 'warning' },
  expiring: { label: 'expiring', tone: 'warning' },
  never_used: { label: 'never used', tone: 'warning' },
  unused: { label: 'unused', tone: 'warning' },
  no_expiration_production: { label: 'no expiry · prod', tone: 'warning' },
  rotation_overdue: { label: 'rotate', tone: 'warning' },
  vague_label: { label: 'vague label', tone: 'info' },
  duplicate_label: { label: 'duplicate', tone: 'info' },
  revoked_stale: { label: 'revoked long ago', tone: 'info' },
  too_many_keys: { label: 'crowded account', tone: 'warning' },
};

/** A flag's words; numbers in them come from the current policy. */
export const flagLabel = (rule: RuleId, policy: AuditPolicy): string =>
  rule === 'revoked_stale' ? `revoked ${policy.revokedRetentionDays}+ d` : RULE_FLAGS[rule].label;

// In RULE_FLAGS order: the most pressing first, as the column is narrow.
const FLAG_ORDER = Object.keys(RULE_FLAGS) as RuleId[];

/** The rules set in a key's bits, most pressing first. */
export const rulesOf = (bits: number): RuleId[] =>
  bits === 0 ? [] : FLAG_ORDER.filter((rule) => bits & ruleBit(rule));
