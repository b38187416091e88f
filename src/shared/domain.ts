// The platform's objects as they cross every boundary (IPC, HTTP, SDK, exports): snake_case,
// times as ISO-8601 UTC strings, never a secret.

export type AccountStatus = 'active' | 'inactive';

export interface Account {
  id: string;
  name: string;
  parent_id: string | null;
  status: AccountStatus;
  created_at: string;
  updated_at: string;
}

/** Stored state is active or revoked; expired is derived from the clock when read. */
export type KeyStatus = 'active' | 'revoked' | 'expired';
export const KEY_STATUSES = ['active', 'revoked', 'expired'] as const satisfies readonly KeyStatus[];

export interface ApiKey {
  id: string;
  account_id: string;
  label: string;
  /** `sk-<8 hex>`: the public part of the key. */
  partial_key: string;
  status: KeyStatus;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** The create response: the only object that ever carries the full key. */
export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

export interface KeyPage {
  data: ApiKey[];
  next_cursor: string | null;
}

export type KeyEventType = 'created' | 'edited' | 'revoked' | 'reactivated' | 'deleted' | 'expired';

export interface FieldChange<T> {
  from: T;
  to: T;
}

export interface KeyEvent {
  id: number;
  key_id: string;
  account_id: string;
  /** Kept on the event so the history still reads after the key is deleted. */
  key_label: string;
  partial_key: string;
  type: KeyEventType;
  at: string;
  /** `user:<name>` or `key:sk-<8 hex>`; `system` for expirations. */
  actor: string;
  changes: { label?: FieldChange<string>; expires_at?: FieldChange<string | null> } | null;
}

export interface DailyUsage {
  /** YYYY-MM-DD, UTC. */
  day: string;
  count: number;
}

/** Who did something: the local admin, a key (over HTTP), or the platform itself. */
export type Actor = { kind: 'user'; name: string } | { kind: 'key'; partialKey: string } | { kind: 'system' };

export const actorLabel = (actor: Actor): string =>
  actor.kind === 'user' ? `user:${actor.name}` : actor.kind === 'key' ? `key:${actor.partialKey}` : 'system';

export interface Agent {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  created_at: string;
}
