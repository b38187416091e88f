// The key platform: accounts, keys, verification, usage and events over a store: one SQLite file
// (the embedded default) or a PostgreSQL database shared by several servers. Used in-process by
// the app and by the HTTP server. It takes its store, clock and random source as arguments and
// never imports electron.
import { randomBytes } from 'node:crypto';
import { type AuditPolicy, DEFAULT_AUDIT_POLICY } from '../shared/audit/policy';
import type { KeyChanges } from '../shared/changes';
import { type Clock, type MonotonicNow, systemClock, systemTimers, type Timers } from '../shared/clock';
import {
  type Account,
  type Actor,
  type Agent,
  type ApiKey,
  actorLabel,
  type CreatedKey,
  type DailyUsage,
  type KeyEvent,
  type KeyPage,
} from '../shared/domain';
import { AppError } from '../shared/errors';
import { newId } from '../shared/ids';
import { keyColumnsJson } from '../shared/key-columns';
import { generateKey, generatePublicId, partialKeyOf, type RandomBytes } from '../shared/key-format';
import { deriveStatus } from '../shared/key-status';
import type {
  KeyAction,
  KeyUsePage,
  LastUse,
  ListKeyUseInput,
  ListRequestsInput,
  RequestPage,
  RequestSource,
} from '../shared/request-log';
import {
  createAccountSchema,
  createAgentSchema,
  createKeySchema,
  idSchema,
  listKeysSchema,
  updateAccountSchema,
  updateKeySchema,
  usageDaysSchema,
} from '../shared/schemas';
import { DEFAULT_TOMBSTONE_DAYS } from '../shared/sync-limits';
import { DAY_MS, isoOrNull, utcDay } from '../shared/utc-time';
import { parseField, parseOrThrow } from '../shared/validation';
import { type AuthenticateOptions, type Authentication, authenticate } from './authenticate';
import { ChangeFeed } from './changes';
import { accountVersion, assertMatches, keyVersion } from './entity-tags';
import { Idempotency } from './idempotency';
import { isoTimesJson } from './iso-times-json';
import { isEventId, isNameAndId, isTimeAndId, readPage } from './page-reader';
import { RequestLog } from './request-log';
import { DEFAULT_REQUEST_LOG_DAYS } from './request-log-days';
import {
  type AccountRow,
  type ActionRow,
  depthFirst,
  type KeyRow,
  type KeySeen,
  type NewEvent,
  type PlatformStore,
  type RequestLogEntry,
  type StoreView,
} from './store/port';
import { toAccount, toAgent } from './store/rows';
import { UsageTracker } from './usage-tracker';
import { hashKey, Verifier, type VerifyResult } from './verifier';

export interface EngineOptions {
  clock?: Clock;
  random?: RandomBytes;
  /** The numbers of the key rules behind the `flag` filter; read on each list, so Settings apply at once. */
  policy?: () => AuditPolicy;
  /** Record last-used times and daily counts on successful verification (default true). */
  trackUsage?: boolean;
  /** How often the write-behind batch is flushed once started (default 1000 ms; 0: no timer). */
  flushIntervalMs?: number;
  timers?: Timers;
  /** For the verifier's throttle on cross-process checks. */
  monotonicNow?: MonotonicNow;
  /** Keys kept in the verification cache (default 200,000; 0 disables the cache). */
  cacheSize?: number;
  /**
   * How often verification looks for writes by other processes (default: 1 ms on SQLite; on
   * PostgreSQL 0, every verification, so another instance's revoke holds for the next request).
   */
  crossProcessCheckMs?: number;
  /** Told of a write-behind flush that failed (its counts are kept for the next one). */
  onFlushError?: (error: unknown) => void;
  /** Days the request log keeps a request (default 90). */
  requestLogDays?: number;
  /** Days the change feed keeps a deleted key's tombstone (default 30): a sync token older than that answers 410. */
  tombstoneDays?: number;
}

const MAX_PUBLIC_ID_ATTEMPTS = 20;
const MAX_ACTIONS = 1000;
const SYSTEM: Actor = { kind: 'system' };

/**
 * An id as error messages may repeat it: ours are 20 characters; anything much longer may be a
 * secret pasted where an id belongs (a key's secret part passes the id pattern), so it is not echoed.
 */
const shownId = (id: string) => (id.length <= 24 ? id : 'with that id');

/** Scheduled deletions made per flush: a backlog goes a step a second, never one long transaction. */
const DELETIONS_PER_STEP = 500;

export class KeyEngine {
  private platformIdRead: Promise<string> | undefined;
  private firstPass: Promise<void> = Promise.resolve();
  readonly clock: Clock;
  private readonly random: RandomBytes;
  private readonly policy: () => AuditPolicy;
  private readonly verifier: Verifier;
  private readonly usage: UsageTracker | null;
  private readonly requestLog: RequestLog;
  private readonly feed: ChangeFeed;
  /** Idempotent POSTs: what the server asks before running one sent with an Idempotency-Key. */
  readonly idempotency: Idempotency;
  private readonly flushIntervalMs: number;
  private readonly timers: Timers;
  private readonly onFlushError: (error: unknown) => void;
  private stopTimer: (() => void) | null = null;
  private closed = false;

  constructor(
    readonly store: PlatformStore,
    options: EngineOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? ((size) => randomBytes(size));
    this.policy = options.policy ?? (() => DEFAULT_AUDIT_POLICY);
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.onFlushError = options.onFlushError ?? (() => {});
    // The timer's interval is also the age bound of an unflushed use.
    this.usage = options.trackUsage === false ? null : new UsageTracker(store, this.flushIntervalMs, this.onFlushError);
    this.verifier = new Verifier(store, this.usage, {
      maxCachedKeys: options.cacheSize,
      crossProcessCheckMs: options.crossProcessCheckMs ?? (store.kind === 'sqlite' ? 1 : 0),
      monotonicNow: options.monotonicNow,
    });
    this.timers = options.timers ?? systemTimers;
    this.idempotency = new Idempotency(store, this.clock);
    this.feed = new ChangeFeed(store, options.tombstoneDays ?? DEFAULT_TOMBSTONE_DAYS, {
      toKey: (row, now) => this.toApiKey(row, now, undefined),
      toAccount,
      tree: depthFirst,
    });
    this.requestLog = new RequestLog(
      store,
      this.clock,
      options.requestLogDays ?? DEFAULT_REQUEST_LOG_DAYS,
      this.flushIntervalMs,
      this.onFlushError,
    );
  }

  /**
   * Starts the write-behind timer (a server or the app; one-shot commands flush on close), after a
   * first pass that deletes the keys whose scheduled deletion came while nothing ran.
   */
  start(): this {
    if (this.closed) return this;
    this.firstPass = this.deleteDueKeys().catch(this.onFlushError);
    if (this.flushIntervalMs > 0 && !this.stopTimer) {
      this.stopTimer = this.timers.every(this.flushIntervalMs, () => {
        this.flush().catch(this.onFlushError);
      });
    }
    return this;
  }

  /** Settles once start()'s first pass is done. */
  started(): Promise<void> {
    return this.firstPass;
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────────────

  /** The root of the account tree, created on first use (once, however many servers start at once). */
  async ensureRootAccount(name = 'Root account'): Promise<Account> {
    return (await this.bootstrap(name)).root;
  }

  /**
   * A new platform's root account and, when `adminKeyLabel` is given, a first key on it: made by
   * exactly one of the processes that start on an empty store at the same moment. `created` is
   * null for every other one, and on a store that already had its root.
   */
  async bootstrap(
    rootName = 'Root account',
    adminKeyLabel?: string,
  ): Promise<{ root: Account; created: CreatedKey | null }> {
    const existing = await this.rootRow(this.store);
    if (existing) return { root: toAccount(existing), created: null };
    const name = parseOrThrow(createAccountSchema, { name: rootName }).name;
    return this.store.exclusive(async (tx) => {
      const raced = await this.rootRow(tx);
      if (raced) return { root: toAccount(raced), created: null };
      const root = await this.insertAccount(tx, null, name);
      const created =
        adminKeyLabel === undefined
          ? null
          : await this.insertKey(tx, root.id, parseOrThrow(createKeySchema, { label: adminKeyLabel }), {
              kind: 'system',
            });
      return { root: toAccount(root), created };
    });
  }

  async getAccount(id: string): Promise<Account> {
    return toAccount(await this.accountRow(this.store, id));
  }

  /** The account and every account under it, parents before children. */
  async accountTree(rootId: string): Promise<Account[]> {
    await this.accountRow(this.store, rootId);
    return depthFirst(await this.store.accounts.subtree(rootId), rootId).map(toAccount);
  }

  async listSubaccounts(parentId: string): Promise<Account[]> {
    await this.accountRow(this.store, parentId);
    return (await this.store.accounts.childrenOf(parentId)).map(toAccount);
  }

  /** A page of the direct subaccounts, by name (`limit`, `cursor`). */
  async subaccountsPage(
    parentId: string,
    input: unknown = {},
  ): Promise<{ data: Account[]; next_cursor: string | null }> {
    await this.accountRow(this.store, parentId);
    const page = await readPage(
      input,
      (after) => this.store.accounts.childrenOf(parentId, after),
      (row) => ({ name: row.name, id: row.id }),
      isNameAndId,
    );
    return { data: page.rows.map(toAccount), next_cursor: page.next_cursor };
  }

  // A create's `within`: a transaction to write in instead of its own (an idempotent request's).

  async createSubaccount(
    parentId: string,
    input: unknown,
    actor: Actor = SYSTEM,
    within?: StoreView,
  ): Promise<Account> {
    const { name } = parseOrThrow(createAccountSchema, input);
    const row = await this.write(within, async (tx) => {
      await this.accountRow(tx, parentId);
      const created = await this.insertAccount(tx, parentId, name);
      await this.addAction(tx, actor, 'account', created.id, parentId, 'created', name);
      return created;
    });
    this.verifier.evictAccounts();
    return toAccount(row);
  }

  /**
   * Rename, activate or deactivate. `callerAccountId` is the account of the key asking over HTTP:
   * a key may not switch its own account on or off (it would lock itself out, or back in).
   */
  async updateAccount(
    id: string,
    input: unknown,
    by: { callerAccountId?: string; actor?: Actor; ifMatch?: string } = {},
  ): Promise<Account> {
    const patch = parseOrThrow(updateAccountSchema, input);
    if (patch.status !== undefined && id === by.callerAccountId) {
      throw new AppError('forbidden', 'status: a key cannot change the status of its own account');
    }
    const updated = await this.store.transaction(async (tx) => {
      const row = await this.accountRow(tx, id);
      assertMatches(by.ifMatch, accountVersion(toAccount(row)), 'account');
      if (patch.status === 'inactive' && row.parent_id === null) {
        throw new AppError('conflict', 'status: the root account cannot be deactivated; it would lock out every key');
      }
      const next: AccountRow = {
        ...row,
        name: patch.name ?? row.name,
        status: patch.status ?? row.status,
        updated_at: this.clock.now(),
      };
      await tx.accounts.update(next);
      const actor = by.actor ?? SYSTEM;
      const where = row.parent_id ?? row.id; // the root lives in itself
      if (next.name !== row.name) await this.addAction(tx, actor, 'account', id, where, 'renamed', next.name);
      if (next.status !== row.status) {
        const action = next.status === 'inactive' ? 'deactivated' : 'activated';
        await this.addAction(tx, actor, 'account', id, where, action, next.name);
      }
      return next;
    });
    this.verifier.evictAccounts();
    return toAccount(updated);
  }

  // ── keys ────────────────────────────────────────────────────────────────────────────────────

  async createKey(accountId: string, input: unknown, actor: Actor, within?: StoreView): Promise<CreatedKey> {
    const request = parseOrThrow(createKeySchema, input);
    return this.write(within, async (tx) => {
      await this.accountRow(tx, accountId);
      return this.insertKey(tx, accountId, request, actor);
    });
  }

  // Key operations take (accountId, keyId) like the port and the HTTP paths; a null account means
  // "wherever the key is" (the CLI and the tests), a given one must own the key.

  async getKey(accountId: string | null, keyId: string): Promise<ApiKey> {
    // Uses not on disk are taken before the row is read: a write that lands between the two is then
    // in one or the other (taken after, it could be in neither).
    const pending = this.usage?.pendingLastUsed();
    return this.toApiKey(await this.keyRow(this.store, accountId, keyId), this.clock.now(), pending);
  }

  /** Keys of one account (optionally with its subaccounts), or of every account when accountId is null. */
  async listKeys(accountId: string | null, input: unknown = {}): Promise<KeyPage> {
    const query = parseOrThrow(listKeysSchema, input);
    if (accountId !== null) await this.accountRow(this.store, accountId);
    // Filters and sorts on last use must see uses not yet on disk; other lists merge them in on read.
    if (query.sort === 'last_used_at' || query.flag !== undefined) await this.usage?.flush();
    const now = this.clock.now();
    const pending = this.usage?.pendingLastUsed(); // before the read, as in getKey
    const { rows, nextCursor } = await this.store.keys.list(
      { accountId, includeSubaccounts: query.include_subaccounts },
      query,
      this.policy(),
      now,
    );
    return { data: rows.map((row) => this.toApiKey(row, now, pending)), next_cursor: nextCursor };
  }

  /**
   * Every key of the account and its subaccounts as the JSON text of KeyColumns (in no particular
   * order): how the app's window gets a whole inventory in one transfer.
   */
  async keyColumnsJson(accountId: string): Promise<string> {
    await this.accountRow(this.store, accountId);
    await this.usage?.flush(); // last-used times not yet on disk
    const text = await this.store.keys.columns(accountId, this.clock.now());
    const iso = (times: string) => isoTimesJson(JSON.parse(times) as (number | null)[]);
    return keyColumnsJson({
      ...text,
      created_at: iso(text.created_at),
      updated_at: iso(text.updated_at),
      last_used_at: iso(text.last_used_at),
      expires_at: iso(text.expires_at),
      revoked_at: iso(text.revoked_at),
    });
  }

  /**
   * What changed in the account's tree since a sync token, or every key without one: one page of
   * the change feed (see changes.ts).
   */
  async keyChanges(accountId: string, input: unknown = {}): Promise<KeyChanges> {
    await this.accountRow(this.store, accountId);
    await this.usage?.flush(); // a use not on disk yet is a change too
    return this.feed.page(accountId, input, this.clock.now());
  }

  /** Moves whenever the stored keys or accounts may have changed: a read is still true while it stays the same. */
  revision(): Promise<string> {
    return this.store.revision();
  }

  /** The platform's identity (migration 11 / PostgreSQL 7): what keychain entries are filed under. */
  platformId(): Promise<string> {
    this.platformIdRead ??= this.store.platformId();
    return this.platformIdRead;
  }

  // A write's `ifMatch` is the request's If-Match, checked against the key as the write's
  // transaction reads it (see entity-tags.ts).

  /** Label and expiration only; the key itself and its account never change. */
  async updateKey(
    accountId: string | null,
    keyId: string,
    input: unknown,
    actor: Actor,
    ifMatch?: string,
  ): Promise<ApiKey> {
    const patch = parseOrThrow(updateKeySchema, input);
    await this.usage?.flush(); // the row read below must include the latest uses
    const now = this.clock.now();
    return this.changeKey(
      accountId,
      keyId,
      async (tx, row) => {
        const expiresAt = patch.expires_at === undefined ? undefined : this.futureInstant(patch.expires_at, now);
        const deletesAt =
          patch.deletes_at === undefined ? undefined : this.futureInstant(patch.deletes_at, now, 'deletes_at');
        const changes: NonNullable<KeyEvent['changes']> = {};
        const updated: KeyRow = { ...row, updated_at: now };
        if (patch.label !== undefined && patch.label !== row.label) {
          changes.label = { from: row.label, to: patch.label };
          updated.label = patch.label;
        }
        if (expiresAt !== undefined && expiresAt !== row.expires_at) {
          changes.expires_at = { from: isoOrNull(row.expires_at), to: isoOrNull(expiresAt) };
          updated.expires_at = expiresAt;
          updated.expiry_noted_at = null; // a new expiration earns a new 'expired' event
        }
        if (deletesAt !== undefined && deletesAt !== row.deletes_at) {
          changes.deletes_at = { from: isoOrNull(row.deletes_at), to: isoOrNull(deletesAt) };
          updated.deletes_at = deletesAt;
        }
        if (Object.keys(changes).length === 0) return this.toApiKey(row, now);
        await tx.keys.update(updated);
        await this.addEvent(tx, updated, 'edited', actor, now, changes);
        return this.toApiKey(updated, now);
      },
      ifMatch,
    );
  }

  revokeKey(accountId: string | null, keyId: string, actor: Actor, ifMatch?: string): Promise<ApiKey> {
    return this.changeStatus(accountId, keyId, 'revoked', actor, ifMatch);
  }

  reactivateKey(accountId: string | null, keyId: string, actor: Actor, ifMatch?: string): Promise<ApiKey> {
    return this.changeStatus(accountId, keyId, 'active', actor, ifMatch);
  }

  /** Permanent: the key stops working at once; its events stay, with its label and public id. */
  async deleteKey(accountId: string | null, keyId: string, actor: Actor, ifMatch?: string): Promise<void> {
    await this.usage?.flush(); // the row read below must include the latest uses
    const now = this.clock.now();
    await this.changeKey(
      accountId,
      keyId,
      async (tx, row) => {
        await tx.keys.delete(row, now);
        await this.addEvent(tx, row, 'deleted', actor, now, null);
      },
      ifMatch,
    );
  }

  async keyEvents(accountId: string | null, keyId: string): Promise<KeyEvent[]> {
    const parsedId = parseField('key_id', idSchema, keyId);
    const events = await this.store.events.listForKey(parsedId);
    // Events outlive their key, so they are found by key id even after a delete.
    if (events.length === 0 || (accountId !== null && events[0]?.account_id !== accountId)) {
      throw new AppError('not_found', `No key ${shownId(parsedId)} in this account.`);
    }
    return events;
  }

  /** A page of a key's events, oldest first (`limit`, `cursor`); found by key id even after a delete. */
  async keyEventsPage(
    accountId: string | null,
    keyId: string,
    input: unknown = {},
  ): Promise<{ data: KeyEvent[]; next_cursor: string | null }> {
    const parsedId = parseField('key_id', idSchema, keyId);
    const page = await readPage(
      input,
      (after) => this.store.events.listForKey(parsedId, after),
      (event) => event.id,
      isEventId,
    );
    // A page past the last event holds none to check the account against: the first one does.
    const [first] =
      page.rows.length > 0 ? page.rows : await this.store.events.listForKey(parsedId, { after: null, limit: 1 });
    if (first === undefined || (accountId !== null && first.account_id !== accountId)) {
      throw new AppError('not_found', `No key ${shownId(parsedId)} in this account.`);
    }
    return { data: page.rows, next_cursor: page.next_cursor };
  }

  /** One entry per UTC day for the last `days` days, today included, zeros filled in. */
  async keyUsage(accountId: string | null, keyId: string, days: number): Promise<DailyUsage[]> {
    const span = parseField('days', usageDaysSchema, days);
    const row = await this.keyRow(this.store, accountId, keyId);
    await this.flush();
    const today = Date.parse(`${utcDay(this.clock.now())}T00:00:00Z`);
    const first = utcDay(today - (span - 1) * DAY_MS);
    const counts = new Map((await this.store.usage.dailySince(row.id, first)).map((entry) => [entry.day, entry]));
    return Array.from({ length: span }, (_, i) => {
      const day = utcDay(today - (span - 1 - i) * DAY_MS);
      return counts.get(day) ?? { day, count: 0, rate_limited: 0 };
    });
  }

  // ── agents ──────────────────────────────────────────────────────────────────────────────────

  async createAgent(accountId: string, input: unknown, actor: Actor = SYSTEM, within?: StoreView): Promise<Agent> {
    const request = parseOrThrow(createAgentSchema, input);
    return this.write(within, async (tx) => {
      await this.accountRow(tx, accountId);
      const row = {
        id: newId('agt', this.random),
        account_id: accountId,
        name: request.name,
        description: request.description ?? null,
        created_at: this.clock.now(),
      };
      await tx.agents.insert(row);
      await this.addAction(tx, actor, 'agent', row.id, accountId, 'created', row.name);
      return toAgent(row);
    });
  }

  /** A page of the account's agents, oldest first (`limit`, `cursor`). */
  async agentsPage(accountId: string, input: unknown = {}): Promise<{ data: Agent[]; next_cursor: string | null }> {
    await this.accountRow(this.store, accountId);
    const page = await readPage(
      input,
      (after) => this.store.agents.list(accountId, after),
      (row) => ({ created_at: row.created_at, id: row.id }),
      isTimeAndId,
    );
    return { data: page.rows.map(toAgent), next_cursor: page.next_cursor };
  }

  async listAgents(accountId: string): Promise<Agent[]> {
    await this.accountRow(this.store, accountId);
    return (await this.store.agents.list(accountId)).map(toAgent);
  }

  // ── verification ────────────────────────────────────────────────────────────────────────────

  /**
   * Checks a presented key against an account (default: the key's own) and counts a use when it
   * passes. Never writes to disk. `since`: when the caller's request began (performance.now()).
   * Answers at once when everything it needs is cached (await it either way).
   */
  verify(
    presented: string,
    targetAccountId: string | null = null,
    options: { since?: number } = {},
  ): VerifyResult | Promise<VerifyResult> {
    return this.verifier.verify(presented, targetAccountId, this.clock.now(), true, options.since);
  }

  /**
   * Admits one request: the key, its reach to the target account and its rate limit, decided in
   * one call (see authenticate.ts). A served or rate-limited call is counted on the key.
   */
  authenticate(
    presented: string,
    targetAccountId: string | null,
    options: AuthenticateOptions,
  ): Promise<Authentication> {
    return authenticate(this.verifier, this.clock, presented, targetAccountId, options);
  }

  /** Writes pending usage and the 'expired' events that are due, and deletes the keys due. Runs every second by itself. */
  async flush(): Promise<void> {
    if (this.closed) return;
    await this.usage?.flush();
    await this.requestLog.flush();
    await this.noteExpirations();
    await this.deleteDueKeys();
    await this.feed.prune(this.clock.now());
    await this.idempotency.prune(this.clock.now());
  }

  // ── the request log ─────────────────────────────────────────────────────────────────────────

  /** One request that presented a known key, written behind (see request-log-writer.ts). */
  logRequest(entry: RequestLogEntry): void {
    this.requestLog.record(entry);
  }

  /** Requests left out of the log because its queue was full. */
  get requestsDropped(): number {
    return this.requestLog.dropped;
  }

  async keyRequests(accountId: string | null, keyId: string, query: ListRequestsInput): Promise<RequestPage> {
    const row = await this.keyRow(this.store, accountId, keyId);
    return this.requestLog.list(row.id, query);
  }

  /** What a key did through the API, newest first: keys, accounts and agents it changed (at most 1,000). */
  async keyActions(accountId: string | null, keyId: string): Promise<KeyAction[]> {
    const row = await this.keyRow(this.store, accountId, keyId);
    const actor = actorLabel({ kind: 'key', partialKey: partialKeyOf(row.public_id) });
    const [events, actions] = await Promise.all([
      this.store.events.listByActor(actor, MAX_ACTIONS),
      this.store.events.actionsByActor(actor, MAX_ACTIONS),
    ]);
    const all: KeyAction[] = [
      ...events.map((event) => ({
        at: event.at,
        subject: 'key' as const,
        subject_id: event.key_id,
        account_id: event.account_id,
        action: event.type,
        name: event.key_label,
      })),
      ...actions.map((action) => ({
        at: new Date(action.at).toISOString(),
        subject: action.subject,
        subject_id: action.subject_id,
        account_id: action.account_id,
        action: action.action,
        name: action.name,
      })),
    ];
    // Newest first; a tie keeps the order each list had (ISO times compare as text).
    return all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, MAX_ACTIONS);
  }

  /** A key with its last served request (see RequestLog.lastUse). */
  async getKeyWithLastUse(accountId: string | null, keyId: string): Promise<ApiKey & { last_use: LastUse | null }> {
    const key = await this.getKey(accountId, keyId);
    return { ...key, last_use: await this.requestLog.lastUse(key.id) };
  }

  async keyLastUse(accountId: string | null, keyId: string): Promise<LastUse | null> {
    const row = await this.keyRow(this.store, accountId, keyId);
    return this.requestLog.lastUse(row.id);
  }

  async keySources(accountId: string | null, keyId: string): Promise<RequestSource[]> {
    const row = await this.keyRow(this.store, accountId, keyId);
    return this.requestLog.sources(row.id);
  }

  /** The use of the keys of the account and its subaccounts (every key when null), for the audit. */
  async keyUse(accountId: string | null, input: ListKeyUseInput): Promise<KeyUsePage> {
    const accountIds = accountId === null ? null : (await this.accountTree(accountId)).map((account) => account.id);
    return this.requestLog.keyUse(accountIds, input);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.stopTimer?.();
    await this.firstPass;
    await this.flush();
    this.closed = true;
    await this.store.close();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  /** `work` in the given transaction, or in one of its own. */
  private write<T>(within: StoreView | undefined, work: (tx: StoreView) => Promise<T>): Promise<T> {
    return within ? work(within) : this.store.transaction(work);
  }

  /**
   * Reads the key in a transaction and hands it to `change`; the verifier forgets the key after
   * the commit (and again after it, for a verification that read the old row meanwhile).
   */
  private async changeKey<T>(
    accountId: string | null,
    keyId: string,
    change: (tx: StoreView, row: KeyRow) => Promise<T>,
    ifMatch?: string,
  ): Promise<T> {
    let publicId: string | null = null;
    try {
      return await this.store.transaction(async (tx) => {
        const row = await this.keyRow(tx, accountId, keyId);
        publicId = row.public_id;
        assertMatches(ifMatch, keyVersion(this.toApiKey(row, this.clock.now())), 'key');
        return change(tx, row);
      });
    } finally {
      if (publicId !== null) this.verifier.evictKey(publicId);
    }
  }

  private async changeStatus(
    accountId: string | null,
    keyId: string,
    to: 'active' | 'revoked',
    actor: Actor,
    ifMatch?: string,
  ): Promise<ApiKey> {
    await this.usage?.flush(); // the row read below must include the latest uses
    const now = this.clock.now();
    return this.changeKey(
      accountId,
      keyId,
      async (tx, row) => {
        if (to === 'revoked' && row.status === 'revoked') {
          throw new AppError('conflict', `Key ${partialKeyOf(row.public_id)} is already revoked.`);
        }
        if (to === 'active' && row.status !== 'revoked') {
          throw new AppError(
            'conflict',
            `Key ${partialKeyOf(row.public_id)} is not revoked; only revoked keys can be reactivated.`,
          );
        }
        const updated: KeyRow = { ...row, status: to, updated_at: now, revoked_at: to === 'revoked' ? now : null };
        await tx.keys.update(updated);
        await this.addEvent(tx, updated, to === 'revoked' ? 'revoked' : 'reactivated', actor, now, null);
        return this.toApiKey(updated, now);
      },
      ifMatch,
    );
  }

  private async insertKey(
    tx: StoreView,
    accountId: string,
    request: { label: string; expires_at?: string | null },
    actor: Actor,
  ): Promise<CreatedKey> {
    const now = this.clock.now();
    const expiresAt = this.futureInstant(request.expires_at ?? null, now);
    const publicId = await this.freshPublicId(tx);
    const secret = generateKey(publicId, this.random);
    const row: KeyRow = {
      id: newId('key', this.random),
      public_id: publicId,
      account_id: accountId,
      label: request.label,
      secret_hash: hashKey(secret),
      status: 'active',
      created_at: now,
      updated_at: now,
      last_used_at: null,
      expires_at: expiresAt,
      revoked_at: null,
      deletes_at: null,
      expiry_noted_at: null,
    };
    await tx.keys.insert(row);
    this.verifier.evictKey(publicId); // it may be remembered as unknown
    await this.addEvent(tx, row, 'created', actor, now, null);
    return { key: this.toApiKey(row, now), secret };
  }

  /**
   * Deletes the keys whose scheduled deletion has come (a step at a time), each with its 'deleted'
   * event by the system and its tombstone, as a deletion by hand. Read again inside the
   * transaction: another process may have deleted or rescheduled one meanwhile.
   */
  private async deleteDueKeys(): Promise<void> {
    const now = this.clock.now();
    if ((await this.store.keys.dueForDeletion(now, 1)).length === 0) return;
    const deleted = await this.store.transaction(async (tx) => {
      const due = await tx.keys.dueForDeletion(now, DELETIONS_PER_STEP);
      for (const row of due) {
        await tx.keys.delete(row, now);
        await this.addEvent(tx, row, 'deleted', { kind: 'system' }, now, {
          deletes_at: { from: isoOrNull(row.deletes_at), to: null },
        });
      }
      return due;
    });
    for (const row of deleted) this.verifier.evictKey(row.public_id);
  }

  private async noteExpirations(): Promise<void> {
    const now = this.clock.now();
    if ((await this.store.keys.expiredUnnoted(now)).length === 0) return;
    await this.store.transaction(async (tx) => {
      // Read again inside: another process may have noted some meanwhile.
      for (const row of await tx.keys.expiredUnnoted(now)) {
        await tx.keys.markExpiryNoted(row.id, now);
        await this.addEvent(tx, row, 'expired', { kind: 'system' }, row.expires_at ?? now, null);
      }
    });
  }

  private addAction(
    tx: StoreView,
    actor: Actor,
    subject: ActionRow['subject'],
    subjectId: string,
    accountId: string,
    action: ActionRow['action'],
    name: string,
  ): Promise<void> {
    return tx.events.addAction({
      at: this.clock.now(),
      actor: actorLabel(actor),
      subject,
      subject_id: subjectId,
      account_id: accountId,
      action,
      name,
    });
  }

  private addEvent(
    tx: StoreView,
    row: KeyRow,
    type: NewEvent['type'],
    actor: Actor,
    at: number,
    changes: NewEvent['changes'],
  ): Promise<void> {
    return tx.events.add({
      key_id: row.id,
      account_id: row.account_id,
      public_id: row.public_id,
      key_label: row.label,
      type,
      at,
      actor: actorLabel(actor),
      changes,
    });
  }

  private async insertAccount(tx: StoreView, parentId: string | null, name: string): Promise<AccountRow> {
    const now = this.clock.now();
    const row: AccountRow = {
      id: newId('acc', this.random),
      parent_id: parentId,
      name,
      status: 'active',
      created_at: now,
      updated_at: now,
    };
    await tx.accounts.insert(row);
    return row;
  }

  private async rootRow(view: StoreView): Promise<AccountRow | undefined> {
    return (await view.accounts.list()).find((row) => row.parent_id === null);
  }

  private async accountRow(view: StoreView, id: string): Promise<AccountRow> {
    const row = await view.accounts.get(parseField('account_id', idSchema, id));
    if (!row) throw new AppError('not_found', `No account ${shownId(id)}.`);
    return row;
  }

  /** The key, which must belong to `accountId` when one is given (a key elsewhere reads as absent). */
  private async keyRow(view: StoreView, accountId: string | null, keyId: string): Promise<KeyRow> {
    const row = await view.keys.get(parseField('key_id', idSchema, keyId));
    if (!row || (accountId !== null && row.account_id !== accountId)) {
      throw new AppError('not_found', `No key ${shownId(keyId)} in this account.`);
    }
    return row;
  }

  private async freshPublicId(tx: StoreView): Promise<string> {
    for (let attempt = 0; attempt < MAX_PUBLIC_ID_ATTEMPTS; attempt++) {
      const candidate = generatePublicId(this.random);
      if (!(await tx.keys.isPublicIdTaken(candidate)) && !(await tx.events.everUsed(candidate))) return candidate;
    }
    throw new AppError('conflict', 'Could not find a free public key id; try again.');
  }

  /** null stays null; anything else must parse and lie in the future. */
  private futureInstant(value: string | null, now: number, field = 'expires_at'): number | null {
    if (value === null) return null;
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new AppError('invalid_request', `${field}: is not a valid date-time`);
    if (at <= now) throw new AppError('invalid_request', `${field}: must be in the future`);
    return at;
  }

  /** The key as the API shows it; `pending`: last uses not on disk yet (default: asked now). */
  private toApiKey(row: KeySeen, now: number, pending = this.usage?.pendingLastUsed()): ApiKey {
    const waiting = pending?.get(row.id);
    const lastUsedAt = waiting !== undefined && waiting > (row.last_used_at ?? 0) ? waiting : row.last_used_at;
    return {
      id: row.id,
      account_id: row.account_id,
      label: row.label,
      partial_key: partialKeyOf(row.public_id),
      status: deriveStatus({ stored: row.status, expiresAt: row.expires_at, lastUsedAt }, now),
      created_at: new Date(row.created_at).toISOString(),
      updated_at: new Date(row.updated_at).toISOString(),
      last_used_at: isoOrNull(lastUsedAt),
      expires_at: isoOrNull(row.expires_at),
      revoked_at: isoOrNull(row.revoked_at),
      deletes_at: isoOrNull(row.deletes_at ?? null),
    };
  }
}
