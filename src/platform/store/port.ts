// The platform's store as the engine sees it: rows in, rows out, every call asynchronous so one
// engine runs on SQLite (the embedded default, one file) and on PostgreSQL (several server
// instances on one database). An adapter holds no rule of its own: statuses, validation and events
// are the engine's; an adapter only finds, orders and writes rows.

import type { AuditPolicy } from '../../shared/audit/policy';
import type { AccountStatus, DailyUsage, KeyEvent, KeyEventType } from '../../shared/domain';
import type { KeyColumnsSql } from '../../shared/key-columns';
import type { RequestOutcome } from '../../shared/request-log';
import type { ListKeysQuery } from '../../shared/schemas';

/** Times are milliseconds since the epoch, UTC, in every row. Rows may carry more columns than these. */
export interface AccountRow {
  id: string;
  parent_id: string | null;
  name: string;
  status: AccountStatus;
  created_at: number;
  updated_at: number;
}

export interface KeyRow {
  id: string;
  public_id: string;
  account_id: string;
  label: string;
  /** SHA-256 of the full key: the key itself is never stored. */
  secret_hash: Buffer;
  status: 'active' | 'revoked';
  created_at: number;
  updated_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  /** When the platform deletes the key by itself; null: not scheduled. */
  deletes_at: number | null;
  /** Set when the 'expired' event for the current expires_at has been written. */
  expiry_noted_at: number | null;
}

/** A key event as both stores keep it: `changes` as JSON text, the public id rather than the partial key. */
export interface EventRow {
  id: number;
  key_id: string;
  account_id: string;
  public_id: string;
  key_label: string;
  type: KeyEventType;
  at: number;
  actor: string;
  changes: string | null;
}

export type NewEvent = Omit<EventRow, 'id' | 'changes'> & { changes: KeyEvent['changes'] };

export interface AgentRow {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  created_at: number;
}

export interface UsageBatchEntry {
  keyId: string;
  lastUsedAt: number;
  /** The UTC day (YYYY-MM-DD) the calls were made on, and how many. */
  day: string;
  count: number;
  /** Calls refused with 429 that day. */
  limited: number;
}

export interface ListScope {
  /** null: every account. */
  accountId: string | null;
  includeSubaccounts: boolean;
}

/** A page of a list: the rows after the last one seen (null: from the start), at most `limit`. */
export interface PageAfter<A> {
  after: A | null;
  limit: number;
}

export interface AccountsStore {
  get(id: string): Promise<AccountRow | undefined>;
  /** Every account, oldest first. */
  list(): Promise<AccountRow[]>;
  /** Direct children, by name then id; a page of them when asked. */
  childrenOf(id: string, page?: PageAfter<{ name: string; id: string }>): Promise<AccountRow[]>;
  /** The account and all its descendants, in no particular order. */
  subtree(id: string): Promise<AccountRow[]>;
  insert(row: AccountRow): Promise<void>;
  update(row: AccountRow): Promise<void>;
}

export interface KeysStore {
  get(id: string): Promise<KeyRow | undefined>;
  getByPublicId(publicId: string): Promise<KeyRow | undefined>;
  isPublicIdTaken(publicId: string): Promise<boolean>;
  insert(row: KeyRow): Promise<void>;
  /** Label, status, expiration and the times that go with them; never the key or its account. */
  update(row: KeyRow): Promise<void>;
  /** Removes the key and leaves its tombstone in the change feed. */
  delete(key: Pick<KeyRow, 'id' | 'account_id'>, at: number): Promise<void>;
  /** One page in the query's order; `flag` asks the audit's own rule of every candidate. */
  list(
    scope: ListScope,
    query: ListKeysQuery,
    policy: AuditPolicy,
    now: number,
  ): Promise<{ rows: KeyRow[]; nextCursor: string | null }>;
  /** Every key of an account and its subaccounts, one JSON array per field (see KeyColumnsSql). */
  columns(accountId: string, now: number): Promise<KeyColumnsSql>;
  /** Active keys whose expiration has passed and whose 'expired' event is not written yet. */
  expiredUnnoted(now: number): Promise<KeyRow[]>;
  markExpiryNoted(id: string, at: number): Promise<void>;
  /** Keys whose scheduled deletion is due at `now`, oldest first, at most `limit`. */
  dueForDeletion(now: number, limit: number): Promise<KeyRow[]>;
}

/** A change to an account or an agent, and who made it (keys' own changes are key events). */
export interface ActionRow {
  at: number;
  /** actorLabel(): `key:sk-…`, `user:…`, `system`. */
  actor: string;
  subject: 'account' | 'agent';
  subject_id: string;
  account_id: string;
  action: 'created' | 'renamed' | 'deactivated' | 'activated';
  name: string;
}

export interface EventsStore {
  add(event: NewEvent): Promise<void>;
  /** A key's events, oldest first; a page of them (after an event id) when asked. */
  listForKey(keyId: string, page?: PageAfter<number>): Promise<KeyEvent[]>;
  /** Key events made by one actor, newest first. */
  listByActor(actor: string, limit: number): Promise<KeyEvent[]>;
  addAction(action: ActionRow): Promise<void>;
  /** Account and agent changes made by one actor, newest first. */
  actionsByActor(actor: string, limit: number): Promise<ActionRow[]>;
  /** A deleted key's public id is never handed out again, so its history stays unambiguous. */
  everUsed(publicId: string): Promise<boolean>;
}

export interface AgentsStore {
  insert(row: AgentRow): Promise<void>;
  /** An account's agents, oldest first; a page of them when asked. */
  list(accountId: string, page?: PageAfter<{ created_at: number; id: string }>): Promise<AgentRow[]>;
}

export interface UsageStore {
  /**
   * Adds a batch of counts (atomic increments: batches from several processes add up) and moves
   * last-used times forward only. Counts for a key deleted meanwhile are dropped.
   */
  write(batch: readonly UsageBatchEntry[]): Promise<void>;
  dailySince(keyId: string, firstDay: string): Promise<DailyUsage[]>;
}

/** One request as the request log's writer hands it to the store. */
export interface RequestLogEntry {
  at: number;
  keyId: string;
  /** The account reached or asked for, when it is not the key's own (null: the key's own). */
  accountId: string | null;
  method: string;
  /** The route pattern, never the raw URL. */
  route: string;
  status: number;
  outcome: RequestOutcome;
  address: string;
  /** Escaped and cut to USER_AGENT_MAX already. */
  userAgent: string;
  requestId: string;
}

export interface RequestLogRow {
  id: number;
  at: number;
  key_id: string;
  account_id: string | null;
  method: string;
  route: string;
  status: number;
  outcome: RequestOutcome;
  address: string;
  user_agent: string;
  source_id: number;
  request_id: string;
}

export interface RequestSourceRow {
  id: number;
  key_id: string;
  address: string;
  user_agent: string;
  first_seen: number;
  last_seen: number;
  count: number;
  /** A bit per outcome seen (outcomeBit). */
  outcomes: number;
}

export interface RequestLogQuery {
  since: number | null;
  until: number | null;
  outcome: RequestOutcome | null;
  sourceId: number | null;
  /** Only requests older than this one (the cursor): newest first. */
  beforeId: number | null;
  limit: number;
}

/** One key's use as the audit reads it (see KeyUse); times in ms. */
export interface KeyUseRow {
  key_id: string;
  first_source_at: number;
  newest_source_at: number;
  recent_sources: number;
  refused_attempts: number;
}

export interface KeyUseQuery {
  /** The start of the window recent sources and refused attempts are counted in. */
  since: number;
  /** Only keys of these accounts; null: every key. */
  accountIds: readonly string[] | null;
  /** Keys after this id (the cursor), in key id order. */
  afterKeyId: string | null;
  limit: number;
}

export interface RequestLogStore {
  /** Appends a batch and adds it to its keys' sources. Call it in a transaction. */
  append(batch: readonly RequestLogEntry[]): Promise<void>;
  /** A key's requests, newest first. */
  list(keyId: string, query: RequestLogQuery): Promise<RequestLogRow[]>;
  /** A key's sources, most recently seen first. Kept after their requests are pruned. */
  sources(keyId: string): Promise<RequestSourceRow[]>;
  /** Deletes requests older than `before`, a bounded step at a time; how many went. */
  prune(before: number): Promise<number>;
  /** The use of every existing key that has a source, in key id order. */
  keyUse(query: KeyUseQuery): Promise<KeyUseRow[]>;
}

/**
 * A place in the change feed. Opaque to the engine: each store orders its own positions (SQLite a
 * counter moved by every write, PostgreSQL the id of the transaction that wrote).
 */
export type ChangePosition = number;

/** A key as a reader sees it: without its hash and the expiry sweep's mark. */
export type KeySeen = Omit<KeyRow, 'secret_hash' | 'expiry_noted_at'>;

/** The columns of KeySeen, for a store's SELECT. */
export const KEY_SEEN_COLUMNS =
  'id, public_id, account_id, label, status, created_at, updated_at, last_used_at, expires_at, revoked_at, deletes_at';

/** One change in feed order: a key as it is now, or (`row` null) a key deleted. */
export interface KeyChange {
  position: ChangePosition;
  id: string;
  row: KeySeen | null;
}

export interface ChangesQuery {
  /** Keys of this account and every account under it. */
  rootId: string;
  /** Changes after this position; null: every key there is (a full sync). */
  since: ChangePosition | null;
  /** Deletions after this position (a full sync: those made since it started). */
  deletedSince: ChangePosition;
  /** Where the last page ended. */
  after: { position: ChangePosition; id: string } | null;
  limit: number;
}

export interface ChangesStore {
  /** The feed's position now: every change committed after this call lies after it. */
  mark(): Promise<ChangePosition>;
  /**
   * The oldest position a sync may continue from: deletions at or before it may have been pruned.
   * A position after mark() was never handed out (another database, or one restored from a backup).
   */
  horizon(): Promise<ChangePosition>;
  /** Changed keys and deletions, in feed order after `after`, at most `limit`. */
  keys(query: ChangesQuery): Promise<KeyChange[]>;
  /** How many changes the query holds in all (an estimate of the sync's size, for its progress). */
  count(query: Omit<ChangesQuery, 'after' | 'limit'>): Promise<number>;
  /** Accounts of the tree changed after `since` (null: every one). */
  accounts(rootId: string, since: ChangePosition | null): Promise<AccountRow[]>;
  /** Forgets deletions made before `before` (ms), a bounded step at a time; how many went. */
  prune(before: number): Promise<number>;
}

/** A POST sent with an Idempotency-Key: in flight (`status` null) or done, its answer sealed. */
export interface IdempotentRow {
  /** SHA-256 of the Idempotency-Key: the key itself is never stored. */
  id: Buffer;
  /** actorLabel() of the caller. */
  caller: string;
  /** SHA-256 of the request: method, path and body. */
  fingerprint: Buffer;
  status: number | null;
  /** The answer's body, AES-256-GCM under a key derived from the Idempotency-Key and the caller. */
  body: Buffer | null;
  claimed_at: number;
  created_at: number;
}

export interface IdempotencyStore {
  /**
   * Claims `row.id` for a request about to run. Null: claimed (new, or taken over from a claim of
   * the same caller and request made before `staleBefore` and never finished: its server died).
   * Otherwise the row that holds the id.
   */
  claim(row: IdempotentRow, staleBefore: number): Promise<IdempotentRow | null>;
  complete(id: Buffer, status: number, body: Buffer): Promise<void>;
  /** The row that holds the id, if any. */
  find(id: Buffer): Promise<IdempotentRow | null>;
  /**
   * As claim(), inside the write transaction the request's work runs in: the claim lasts as long
   * as the transaction and may be the transaction's own hold on the store rather than a row.
   */
  claimWithin(row: IdempotentRow, staleBefore: number): Promise<IdempotentRow | null>;
  /**
   * Keeps the answer of a request run in this transaction (claimed with claimWithin(), or not
   * claimed where transactions exclude every other writer). False: the id is held (only there).
   */
  completeWithin(row: IdempotentRow, status: number, body: Buffer): Promise<boolean>;
  /** Forgets a claim whose request failed: it may be sent again. */
  release(id: Buffer): Promise<void>;
  /** Forgets requests made before `before` (ms), a bounded step at a time; how many went. */
  prune(before: number): Promise<number>;
}

/** The tables as one transaction, or the store outside any, sees them. */
export interface StoreView {
  readonly accounts: AccountsStore;
  readonly keys: KeysStore;
  readonly events: EventsStore;
  readonly agents: AgentsStore;
  readonly usage: UsageStore;
  readonly requestLog: RequestLogStore;
  readonly changes: ChangesStore;
  readonly idempotency: IdempotencyStore;
}

export interface PlatformStore extends StoreView {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * A write transaction excludes every other writer, in any process (SQLite): an idempotent
   * request whose work is one transaction may then run before its key is looked up, the answer's
   * insert finding it held being the check (and the work rolled back). Not where servers share the
   * store (PostgreSQL): there the key is claimed first, so a repeat on another server waits.
   */
  readonly writersExcluded: boolean;
  /**
   * Runs `work` in one transaction and commits what it wrote, or rolls all of it back if it
   * throws. Only `tx` sees the transaction; transactions on one store never interleave.
   */
  transaction<T>(work: (tx: StoreView) => Promise<T>): Promise<T>;
  /**
   * Moves whenever keys or accounts may have changed, by this process or another one: a read made
   * under one revision is still true while it stays the same.
   */
  revision(): Promise<string>;
  /** The platform's identity, kept in its database: the same through every path, URL and server. */
  platformId(): Promise<string>;
  /**
   * Moves when another process (or instance) changed keys or accounts; what the verifier's cache
   * is checked against. May also move for this process's own writes.
   */
  changeToken(): Promise<string | number>;
  /** The change token as soon as the store can give it: at once where it can (SQLite), else as changeToken. */
  changeTokenNow(): string | number | Promise<string | number>;
  /**
   * A transaction that runs alone among every process sharing the store's exclusive transactions:
   * for what must happen once however many servers start at the same moment (the root account and
   * the bootstrap admin key).
   */
  exclusive<T>(work: (tx: StoreView) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Parents before children, siblings by name then id: how every account tree is shown. */
export function depthFirst(rows: readonly AccountRow[], rootId: string): AccountRow[] {
  const children = new Map<string | null, AccountRow[]>();
  for (const row of rows) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const ordered: AccountRow[] = [];
  const visit = (row: AccountRow) => {
    ordered.push(row);
    const kids = (children.get(row.id) ?? []).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    for (const kid of kids) visit(kid);
  };
  const root = rows.find((row) => row.id === rootId);
  if (root) visit(root);
  return ordered;
}
