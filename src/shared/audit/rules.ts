// Every rule about keys, defined once with the policy that sets its numbers. The audit, the key
// table's flags and filters, the expiry notices and the HTTP API's `flag` filter all ask this
// module; nothing else decides whether a key is unused, expiring, overdue or vaguely labelled.
import type { ApiKey } from '../domain';
import { isExpiredAt } from '../key-status';
import { MIN_LABEL_LENGTH, VAGUE_FIRST_LETTERS, vagueLabelReason } from '../label-rules';
import { DAY_MS, isoToMs } from '../utc-time';
import { ENVIRONMENTS, type Environment, environmentRankOf, lowerCode, NO_ENVIRONMENT } from './environment';
import type { AuditPolicy } from './policy';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

/** Every rule; the order is fixed (a key's flags are bits in this order). */
export const RULES = [
  'never_used',
  'unused',
  'expiring',
  'expired',
  'no_expiration_production',
  'no_expiration_parent',
  'rotation_overdue',
  'vague_label',
  'duplicate_label',
  'revoked_stale',
  'too_many_keys',
  'new_source',
  'many_sources',
  'refused_attempts',
  'used_after_exposure',
] as const;
export type RuleId = (typeof RULES)[number];

/**
 * The rules one key decides from its own row: the values of the HTTP API's `flag` filter. The
 * activity rules also read the request log (KeyUse) and the app's incidents, so they are audit-only.
 */
export const KEY_RULES = [
  'never_used',
  'unused',
  'expiring',
  'expired',
  'no_expiration_production',
  'no_expiration_parent',
  'rotation_overdue',
  'vague_label',
  'revoked_stale',
] as const satisfies readonly RuleId[];
export type KeyRuleId = (typeof KEY_RULES)[number];

export type SuggestedAction = 'delete' | 'revoke' | 'rotate' | 'extend' | 'set_expiration' | 'rename' | 'review';

/** A rule's position in RULES, by id. */
export const R = Object.fromEntries(RULES.map((rule, i) => [rule, i])) as Record<RuleId, number>;

export const SEVERITY: Record<RuleId, Severity> = {
  never_used: 'warning',
  unused: 'warning',
  expiring: 'warning',
  expired: 'warning',
  no_expiration_production: 'warning',
  no_expiration_parent: 'critical',
  rotation_overdue: 'warning',
  vague_label: 'info',
  duplicate_label: 'info',
  revoked_stale: 'info',
  too_many_keys: 'warning',
  new_source: 'warning',
  many_sources: 'warning',
  refused_attempts: 'warning',
  used_after_exposure: 'critical',
};

export const ACTION: Record<RuleId, SuggestedAction> = {
  never_used: 'delete',
  unused: 'revoke',
  expiring: 'rotate',
  expired: 'delete',
  no_expiration_production: 'set_expiration',
  no_expiration_parent: 'set_expiration',
  rotation_overdue: 'rotate',
  vague_label: 'rename',
  duplicate_label: 'rename',
  revoked_stale: 'delete',
  too_many_keys: 'review',
  new_source: 'review',
  many_sources: 'review',
  refused_attempts: 'review',
  used_after_exposure: 'revoke',
};

/** The severity of one finding: an expiry within a day is critical. */
export const severityOf = (rule: RuleId, n: number): Severity =>
  rule === 'expiring' && n <= 1 ? 'critical' : SEVERITY[rule];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The sentence after a key's or account's name; `n` is the finding's number, `detail` its words. */
export const SENTENCES: Record<RuleId, (n: number, detail: string) => string> = {
  never_used: (n) => `was created ${plural(n, 'day')} ago and never used.`,
  unused: (n) => `has not been used for ${plural(n, 'day')}.`,
  expiring: (n) => (n <= 1 ? 'expires within a day: rotate it now.' : `expires in ${plural(n, 'day')}: rotate it.`),
  expired: (n) => `expired ${plural(n, 'day')} ago: delete it, or extend it if it is still needed.`,
  no_expiration_production: () => 'is a production key without an expiration.',
  no_expiration_parent: (_n, account) => `never expires and belongs to ${account}, so it reaches every subaccount.`,
  rotation_overdue: (n, rotation) => `is ${plural(n, 'day')} old; ${rotation}.`,
  vague_label: (_n, reason) => `: ${reason}.`,
  duplicate_label: () => 'shares its label with another key in the same account.',
  revoked_stale: (n) => `was revoked ${plural(n, 'day')} ago and can be deleted.`,
  too_many_keys: (n, limit) => `holds ${plural(n, 'key')}; ${limit}.`,
  new_source: (n) =>
    `was used from a new source ${n === 0 ? 'today' : `${plural(n, 'day')} ago`}: check that it is one of yours.`,
  many_sources: (n, window) => `was used from ${plural(n, 'source')} ${window}.`,
  refused_attempts: (n, window) =>
    `was presented ${plural(n, 'time')} after its revocation or expiry ${window}: something still holds it.`,
  used_after_exposure: (n, exposedAt) =>
    `was used ${n === 0 ? 'today' : `${plural(n, 'day')} ago`}, after its suspected exposure (${exposedAt}): revoke it.`,
};

/** What the key rules read of a key, as milliseconds since the epoch (UTC). */
export interface KeyFacts {
  revoked: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  label: string;
  /** Position in ENVIRONMENTS, or NO_ENVIRONMENT. */
  environment: number;
  /** The key's account has subaccounts, so the key reaches every one of them. */
  parentAccount: boolean;
  /** Its use as the request log has it (KeyUse), or null for none logged. */
  firstSourceAt: number | null;
  newestSourceAt: number | null;
  recentSources: number;
  refusedAttempts: number;
  /** When its suspected exposure began (an incident's), or null. */
  exposedAt: number | null;
}

/** A facts record to fill in place: the audit and the SQL filter reuse one for every key. */
export const blankFacts = (): KeyFacts => ({
  revoked: false,
  createdAt: 0,
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  label: '',
  environment: NO_ENVIRONMENT,
  parentAccount: false,
  firstSourceAt: null,
  newestSourceAt: null,
  recentSources: 0,
  refusedAttempts: 0,
  exposedAt: null,
});

const days = (ms: number) => Math.floor(ms / DAY_MS);

// Only labels that start like a vague one (or are very short) go through the vague-label patterns;
// the first letters come from the patterns themselves (label-rules.ts).
const mayBeVague = (label: string) => {
  const trimmed = label.trimStart();
  if (trimmed.length < MIN_LABEL_LENGTH || VAGUE_FIRST_LETTERS === null) return true;
  return VAGUE_FIRST_LETTERS[lowerCode(trimmed.charCodeAt(0))] === 1;
};

/**
 * The key rules: calls `found(R[rule], n)` for each rule the key breaks at `now`, where n is the
 * finding's number (days of age, days left, ...). Time rules skip revoked keys, which only go
 * stale. Allocates nothing: the audit calls it for each of 100,000 keys.
 */
export function checkKey(
  key: KeyFacts,
  policy: AuditPolicy,
  now: number,
  found: (rule: number, n: number) => void,
): void {
  // Refused attempts happen only to a revoked or expired key: they say something still holds it.
  if (key.refusedAttempts >= policy.refusedAttempts) found(R.refused_attempts, key.refusedAttempts);
  if (key.revoked) {
    if (key.revokedAt !== null && now - key.revokedAt > policy.revokedRetentionDays * DAY_MS) {
      found(R.revoked_stale, days(now - key.revokedAt));
    }
  } else {
    const { lastUsedAt, expiresAt, createdAt, newestSourceAt } = key;
    // A source is new when it came after the key's first one, within the window.
    if (
      newestSourceAt !== null &&
      newestSourceAt !== key.firstSourceAt &&
      now - newestSourceAt <= policy.recentUseDays * DAY_MS
    ) {
      found(R.new_source, days(Math.max(0, now - newestSourceAt)));
    }
    if (key.recentSources > policy.maxSources) found(R.many_sources, key.recentSources);
    if (key.exposedAt !== null && lastUsedAt !== null && lastUsedAt > key.exposedAt) {
      found(R.used_after_exposure, days(Math.max(0, now - lastUsedAt)));
    }
    if (lastUsedAt === null) {
      if (now - createdAt > policy.neverUsedGraceDays * DAY_MS) found(R.never_used, days(now - createdAt));
    } else if (now - lastUsedAt > policy.unusedDays * DAY_MS) {
      found(R.unused, days(now - lastUsedAt));
    }
    if (expiresAt !== null && isExpiredAt(expiresAt, now)) {
      found(R.expired, days(now - expiresAt));
    } else if (expiresAt !== null && expiresAt - now <= policy.expiringDays * DAY_MS) {
      found(R.expiring, Math.ceil((expiresAt - now) / DAY_MS));
    }
    if (expiresAt === null && key.parentAccount) found(R.no_expiration_parent, 0);
    else if (expiresAt === null && key.environment === 0) found(R.no_expiration_production, 0);
    // By name, not by ENVIRONMENTS[rank]: a property read the engine can see through, per key.
    const rotation =
      key.environment === 0
        ? policy.rotationDays.production
        : key.environment === 1
          ? policy.rotationDays.staging
          : key.environment === 2
            ? policy.rotationDays.development
            : null;
    if (rotation !== null && now - createdAt > rotation * DAY_MS) {
      found(R.rotation_overdue, days(now - createdAt));
    }
  }
  if (mayBeVague(key.label) && vagueLabelReason(key.label)) found(R.vague_label, 0);
}

/** Whether the key breaks the rule at `now`: the HTTP API's `flag` filter asks this per row. */
export function breaksRule(rule: KeyRuleId, key: KeyFacts, policy: AuditPolicy, now: number): boolean {
  const wanted = R[rule];
  let hit = false;
  checkKey(key, policy, now, (found) => {
    if (found === wanted) hit = true;
  });
  return hit;
}

/** The facts of an ApiKey as it crosses the wire, for one-off checks (notices, previews). */
export function factsOf(
  key: ApiKey,
  context: { environment?: Environment | null; parentAccount?: boolean } = {},
): KeyFacts {
  const environment =
    context.environment === undefined
      ? environmentRankOf(key.label)
      : ENVIRONMENTS.indexOf(context.environment as Environment);
  return {
    revoked: key.status === 'revoked',
    createdAt: isoToMs(key.created_at),
    lastUsedAt: key.last_used_at === null ? null : isoToMs(key.last_used_at),
    expiresAt: key.expires_at === null ? null : isoToMs(key.expires_at),
    revokedAt: key.revoked_at === null ? null : isoToMs(key.revoked_at),
    label: key.label,
    environment: environment < 0 ? NO_ENVIRONMENT : environment,
    parentAccount: context.parentAccount ?? false,
    firstSourceAt: null,
    newestSourceAt: null,
    recentSources: 0,
    refusedAttempts: 0,
    exposedAt: null,
  };
}
