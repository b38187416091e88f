// The dry run of a bulk action (the Audit page, the key table's selection, one key's Extend): exactly what will change on each key, and
// which keys are left alone and why. Pure, so the preview and the run cannot disagree.
import type { ApiKey } from './domain';
import { DAY_MS, isoToMs } from './utc-time';

export const BULK_ACTIONS = ['revoke', 'reactivate', 'delete', 'extend'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface PlannedChange {
  key: ApiKey;
  /** The change in words: "active → revoked", "expires 2026-06-03 → 2026-09-01". */
  change: string;
  /** extend: the new expiration. */
  expires_at?: string;
}

export interface BulkPlan {
  action: BulkAction;
  changes: PlannedChange[];
  skipped: Array<{ key: ApiKey; reason: string }>;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * extend: the expiration moves `extendDays` past the current expiration, or past now when that
 * has gone by (an expiration must lie in the future); a key without one gets one. Revoked keys are
 * skipped: extending would not make them work. reactivate: only revoked keys; one whose expiration
 * has passed is said to come back expired.
 */
export function planBulk(action: BulkAction, keys: ApiKey[], extendDays: number, now: number): BulkPlan {
  const plan: BulkPlan = { action, changes: [], skipped: [] };
  for (const key of keys) {
    if (action === 'delete') {
      plan.changes.push({ key, change: `${key.status} → deleted for good (its history stays)` });
    } else if (action === 'revoke') {
      if (key.status === 'revoked') plan.skipped.push({ key, reason: 'already revoked' });
      else plan.changes.push({ key, change: `${key.status} → revoked` });
    } else if (action === 'reactivate') {
      if (key.status !== 'revoked') plan.skipped.push({ key, reason: `not revoked (${key.status})` });
      else {
        const lapsed = key.expires_at !== null && isoToMs(key.expires_at) <= now;
        plan.changes.push({ key, change: `revoked → ${lapsed ? 'expired (its expiration has passed)' : 'active'}` });
      }
    } else if (key.status === 'revoked') {
      plan.skipped.push({ key, reason: 'revoked: reactivate it first if it is still needed' });
    } else {
      const from = key.expires_at === null ? now : Math.max(now, isoToMs(key.expires_at));
      const expiresAt = new Date(from + extendDays * DAY_MS).toISOString();
      const before = key.expires_at === null ? 'never expires' : `expires ${day(key.expires_at)}`;
      plan.changes.push({ key, change: `${before} → expires ${day(expiresAt)}`, expires_at: expiresAt });
    }
  }
  return plan;
}
