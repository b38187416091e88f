// A key's status from its stored facts and the clock: the one place that decides "expired".
// The rules that flag keys (unused, expiring...) are in audit/rules.ts.
import type { KeyStatus } from './domain';
import { isoToMs } from './utc-time';

export interface KeyTimes {
  stored: 'active' | 'revoked';
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/** Whether an expiration has passed at `now`: the expiration is the first instant the key no longer works. */
export const isExpiredAt = (expiresAt: number | null, now: number): boolean => expiresAt !== null && expiresAt <= now;

// `now` in the platform's ISO form, made once per instant: indexing 100,000 keys asks for the same one.
let isoNow = { ms: Number.NaN, iso: '' };
const isoOf = (now: number): string => {
  if (isoNow.ms !== now) isoNow = { ms: now, iso: new Date(now).toISOString() };
  return isoNow.iso;
};

/** isExpiredAt for an ISO time: the platform's own form compares as text, in the order of its instants. */
export function isExpiredIso(expiresAt: string | null, now: number): boolean {
  if (expiresAt === null) return false;
  const iso = isoOf(now);
  return expiresAt.length === iso.length && expiresAt.endsWith('Z')
    ? expiresAt <= iso
    : isExpiredAt(isoToMs(expiresAt), now);
}

/** A revoked key stays revoked whatever its expiration; an active one is expired once its time passes. */
export function deriveStatus(key: KeyTimes, now: number): KeyStatus {
  if (key.stored === 'revoked') return 'revoked';
  return isExpiredAt(key.expiresAt, now) ? 'expired' : 'active';
}

/** deriveStatus of a key as the platform sent it: a key that expired since reads expired. */
export const currentStatus = (key: { status: KeyStatus; expires_at: string | null }, now: number): KeyStatus =>
  key.status === 'revoked' ? 'revoked' : isExpiredIso(key.expires_at, now) ? 'expired' : 'active';
