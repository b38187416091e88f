// The key platform: accounts, keys, verification, usage and events over one SQLite file.
// Used in-process by the app (the embedded default) and by the HTTP server. It takes its
// database, clock and random source as arguments and never imports electron.
import { randomBytes } from 'node:crypto';
import { type AuditPolicy, DEFAULT_AUDIT_POLICY } from '../shared/audit/policy';
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
import { DAY_MS, deriveStatus, isoOrNull, utcDay } from '../shared/key-rules';
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
import { parseField, parseOrThrow } from '../shared/validation';
import { isoTimesJson } from './iso-times-json';
import { type AccountRow, AccountsRepo, toAccount } from './store/accounts-repo';
import { AgentsRepo } from './store/agents-repo';
import { type Db, inTransaction, openDatabase } from './store/database';
import { EventsRepo, type NewEvent } from './store/events-repo';
import { type KeyRow, KeysRepo } from './store/keys-repo';
import { UsageRepo } from './store/usage-repo';
import { UsageTracker } from './usage-tracker';
import { hashKey, type VerifiedKey, Verifier, type VerifyResult } from './verifier';

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
  /** How often verification looks for writes by other processes (default 1 ms; 0: every call). */
  crossProcessCheckMs?: number;
  /** better_sqlite3.node for another runtime (Electron). */
  nativeBinding?: string;
}

const MAX_PUBLIC_ID_ATTEMPTS = 20;

/**
 * An id as error messages may repeat it: ours are 20 characters; anything much longer may be a
 * secret pasted where an id belongs (a key's secret part passes the id pattern), so it is not echoed.
 */
const shownId = (id: string) => (id.length <= 24 ? id : 'with that id');

export class KeyEngine {
  readonly clock: Clock;
  private readonly random: RandomBytes;
  private readonly policy: () => AuditPolicy;
  private readonly accounts: AccountsRepo;
  private readonly keys: KeysRepo;
  private readonly events: EventsRepo;
  private readonly agents: AgentsRepo;
  private readonly verifier: Verifier;
  private readonly usage: UsageTracker | null;
  private readonly usageRepo: UsageRepo;
  private readonly flushIntervalMs: number;
  private readonly timers: Timers;
  private stopTimer: (() => void) | null = null;
  private closed = false;
  private readonly revisionOf;

  static open(file: string, options: EngineOptions = {}): KeyEngine {
    const db = openDatabase(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    return new KeyEngine(db, options);
  }

  constructor(
    readonly db: Db,
    options: EngineOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? ((size) => randomBytes(size));
    this.policy = options.policy ?? (() => DEFAULT_AUDIT_POLICY);
    this.accounts = new AccountsRepo(db);
    this.keys = new KeysRepo(db);
    this.events = new EventsRepo(db);
    this.revisionOf = db
      .prepare<[], string>("SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()")
      .pluck();
    this.agents = new AgentsRepo(db);
    this.usageRepo = new UsageRepo(db);
    this.usage = options.trackUsage === false ? null : new UsageTracker(this.usageRepo);
    this.verifier = new Verifier(
      db,
      this.keys,
      this.accounts,
      this.usage,
      options.cacheSize,
      options.crossProcessCheckMs,
      options.monotonicNow,
    );
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.timers = options.timers ?? systemTimers;
  }

  /** Starts the write-behind timer (a server or the app; one-shot commands flush on close). */
  start(): this {
    if (this.flushIntervalMs > 0 && !this.stopTimer && !this.closed) {
      this.stopTimer = this.timers.every(this.flushIntervalMs, () => this.flush());
    }
    return this;
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────────────

  /** True for a database with no account yet: a first start. */
  isEmpty(): boolean {
    return this.accounts.list().length === 0;
  }

  /** The root of the account tree, created on first use. */
  ensureRootAccount(name = 'Root account'): Account {
    return inTransaction(this.db, () => {
      const existing = this.accounts.list().find((row) => row.parent_id === null);
      if (existing) return toAccount(existing);
      return toAccount(this.insertAccount(null, parseOrThrow(createAccountSchema, { name }).name));
    });
  }

  getAccount(id: string): Account {
    return toAccount(this.accountRow(id));
  }

  /** The account and every account under it, parents before children. */
  accountTree(rootId: string): Account[] {
    this.accountRow(rootId);
    return this.accounts.subtreeOf(rootId).map(toAccount);
  }

  listSubaccounts(parentId: string): Account[] {
    this.accountRow(parentId);
    return this.accounts.childrenOf(parentId).map(toAccount);
  }

  createSubaccount(parentId: string, input: unknown): Account {
    const { name } = parseOrThrow(createAccountSchema, input);
    return inTransaction(this.db, () => {
      this.accountRow(parentId);
      const row = this.insertAccount(parentId, name);
      this.verifier.evictAccounts();
      return toAccount(row);
    });
  }

  /**
   * Rename, activate or deactivate. `callerAccountId` is the account of the key asking over HTTP:
   * a key may not switch its own account on or off (it would lock itself out, or back in).
   */
  updateAccount(id: string, input: unknown, callerAccountId?: string): Account {
    const patch = parseOrThrow(updateAccountSchema, input);
    if (patch.status !== undefined && id === callerAccountId) {
      throw new AppError('forbidden', 'status: a key cannot change the status of its own account');
    }
    return inTransaction(this.db, () => {
      const row = this.accountRow(id);
      if (patch.status === 'inactive' && row.parent_id === null) {
        throw new AppError('conflict', 'status: the root account cannot be deactivated; it would lock out every key');
      }
      const updated: AccountRow = {
        ...row,
        name: patch.name ?? row.name,
        status: patch.status ?? row.status,
        updated_at: this.clock.now(),
      };
      this.accounts.update(updated);
      this.verifier.evictAccounts();
      return toAccount(updated);
    });
  }

  /** True when `ancestorId` is `accountId` or above it: a key there reaches `accountId`. */
  reaches(ancestorId: string, accountId: string): boolean {
    for (
      let row = this.accounts.get(accountId);
      row;
      row = row.parent_id ? this.accounts.get(row.parent_id) : undefined
    ) {
      if (row.id === ancestorId) return true;
    }
    return false;
  }

  // ── keys ────────────────────────────────────────────────────────────────────────────────────

  createKey(accountId: string, input: unknown, actor: Actor): CreatedKey {
    const request = parseOrThrow(createKeySchema, input);
    const now = this.clock.now();
    const expiresAt = this.futureInstant(request.expires_at ?? null, now);
    return inTransaction(this.db, () => {
      this.accountRow(accountId);
      const publicId = this.freshPublicId();
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
        expiry_noted_at: null,
      };
      this.keys.insert(row);
      this.verifier.evictKey(publicId); // it may be remembered as unknown
      this.addEvent(row, 'created', actor, now, null);
      return { key: this.toApiKey(row, now), secret };
    });
  }

  // Key operations take (accountId, keyId) like the port and the HTTP paths; a null account means
  // "wherever the key is" (the CLI and the tests), a given one must own the key.

  getKey(accountId: string | null, keyId: string): ApiKey {
    return this.toApiKey(this.keyRow(accountId, keyId), this.clock.now());
  }

  /** Keys of one account (optionally with its subaccounts), or of every account when accountId is null. */
  listKeys(accountId: string | null, input: unknown = {}): KeyPage {
    const query = parseOrThrow(listKeysSchema, input);
    if (accountId !== null) this.accountRow(accountId);
    // Filters and sorts on last use must see uses not yet on disk; other lists merge them in on read.
    if (query.sort === 'last_used_at' || query.flag !== undefined) this.usage?.flush();
    const now = this.clock.now();
    const { rows, nextCursor } = this.keys.list(
      { accountId, includeSubaccounts: query.include_subaccounts },
      query,
      this.policy(),
      now,
    );
    return { data: rows.map((row) => this.toApiKey(row, now)), next_cursor: nextCursor };
  }

  /**
   * Every key of the account and its subaccounts as the JSON text of KeyColumns (in no particular
   * order): how the app's window gets a whole inventory in one transfer.
   */
  keyColumnsJson(accountId: string): string {
    this.accountRow(accountId);
    this.usage?.flush(); // last-used times not yet on disk
    const text = this.keys.columns(accountId, this.clock.now());
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
   * Moves whenever the stored keys or accounts may have changed, by this engine (SQLite's count of
   * its changes) or by another process (data_version): a read is still true while it stays the same.
   */
  revision(): string {
    return this.revisionOf.get() as string;
  }

  /** Label and expiration only; the key itself and its account never change. */
  updateKey(accountId: string | null, keyId: string, input: unknown, actor: Actor): ApiKey {
    const patch = parseOrThrow(updateKeySchema, input);
    this.usage?.flush(); // the row read below must include the latest uses
    const now = this.clock.now();
    return inTransaction(this.db, () => {
      const row = this.keyRow(accountId, keyId);
      const changes: NonNullable<KeyEvent['changes']> = {};
      const updated: KeyRow = { ...row, updated_at: now };
      if (patch.label !== undefined && patch.label !== row.label) {
        changes.label = { from: row.label, to: patch.label };
        updated.label = patch.label;
      }
      if (patch.expires_at !== undefined) {
        const expiresAt = this.futureInstant(patch.expires_at, now);
        if (expiresAt !== row.expires_at) {
          changes.expires_at = { from: isoOrNull(row.expires_at), to: isoOrNull(expiresAt) };
          updated.expires_at = expiresAt;
          updated.expiry_noted_at = null; // a new expiration earns a new 'expired' event
        }
      }
      if (Object.keys(changes).length === 0) return this.toApiKey(row, now);
      this.keys.update(updated);
      this.verifier.evictKey(row.public_id);
      this.addEvent(updated, 'edited', actor, now, changes);
      return this.toApiKey(updated, now);
    });
  }

  revokeKey(accountId: string | null, keyId: string, actor: Actor): ApiKey {
    return this.changeStatus(accountId, keyId, 'revoked', actor);
  }

  reactivateKey(accountId: string | null, keyId: string, actor: Actor): ApiKey {
    return this.changeStatus(accountId, keyId, 'active', actor);
  }

  /** Permanent: the key stops working at once; its events stay, with its label and public id. */
  deleteKey(accountId: string | null, keyId: string, actor: Actor): void {
    this.usage?.flush(); // the row read below must include the latest uses
    const now = this.clock.now();
    inTransaction(this.db, () => {
      const row = this.keyRow(accountId, keyId);
      this.keys.delete(row.id);
      this.verifier.evictKey(row.public_id);
      this.addEvent(row, 'deleted', actor, now, null);
    });
  }

  keyEvents(accountId: string | null, keyId: string): KeyEvent[] {
    const parsedId = parseField('key_id', idSchema, keyId);
    const events = this.events.listForKey(parsedId);
    // Events outlive their key, so they are found by key id even after a delete.
    if (events.length === 0 || (accountId !== null && events[0]?.account_id !== accountId)) {
      throw new AppError('not_found', `No key ${shownId(parsedId)} in this account.`);
    }
    return events;
  }

  /** One entry per UTC day for the last `days` days, today included, zeros filled in. */
  keyUsage(accountId: string | null, keyId: string, days: number): DailyUsage[] {
    const span = parseField('days', usageDaysSchema, days);
    const row = this.keyRow(accountId, keyId);
    this.flush();
    const today = Date.parse(`${utcDay(this.clock.now())}T00:00:00Z`);
    const first = utcDay(today - (span - 1) * DAY_MS);
    const counts = new Map(this.usageRepo.dailySince(row.id, first).map((entry) => [entry.day, entry]));
    return Array.from({ length: span }, (_, i) => {
      const day = utcDay(today - (span - 1 - i) * DAY_MS);
      return counts.get(day) ?? { day, count: 0, rate_limited: 0 };
    });
  }

  // ── agents ──────────────────────────────────────────────────────────────────────────────────

  createAgent(accountId: string, input: unknown): Agent {
    const request = parseOrThrow(createAgentSchema, input);
    return inTransaction(this.db, () => {
      this.accountRow(accountId);
      return this.agents.insert({
        id: newId('agt', this.random),
        account_id: accountId,
        name: request.name,
        description: request.description ?? null,
        created_at: this.clock.now(),
      });
    });
  }

  listAgents(accountId: string): Agent[] {
    this.accountRow(accountId);
    return this.agents.list(accountId);
  }

  // ── verification ────────────────────────────────────────────────────────────────────────────

  /** Checks a presented key against an account (default: the key's own). Never writes to disk. */
  verify(presented: string, targetAccountId: string | null = null, options: { record?: boolean } = {}): VerifyResult {
    return this.verifier.verify(presented, targetAccountId, this.clock.now(), options.record ?? true);
  }

  /** For a caller that verifies with `record: false`: the call was served, or refused with 429. */
  recordCall(key: VerifiedKey, limited: boolean): void {
    this.verifier.recordCall(key, limited, this.clock.now());
  }

  /** Writes pending usage and the 'expired' events that are due. Runs every second by itself. */
  flush(): void {
    if (this.closed) return;
    this.usage?.flush();
    this.noteExpirations();
  }

  close(): void {
    if (this.closed) return;
    this.stopTimer?.();
    this.flush();
    this.closed = true;
    this.db.close();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private changeStatus(accountId: string | null, keyId: string, to: 'active' | 'revoked', actor: Actor): ApiKey {
    this.usage?.flush(); // the row read below must include the latest uses
    const now = this.clock.now();
    return inTransaction(this.db, () => {
      const row = this.keyRow(accountId, keyId);
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
      this.keys.update(updated);
      this.verifier.evictKey(row.public_id);
      this.addEvent(updated, to === 'revoked' ? 'revoked' : 'reactivated', actor, now, null);
      return this.toApiKey(updated, now);
    });
  }

  private noteExpirations(): void {
    const now = this.clock.now();
    const due = this.keys.expiredUnnoted(now);
    if (due.length === 0) return;
    inTransaction(this.db, () => {
      for (const row of due) {
        this.keys.markExpiryNoted(row.id, now);
        this.addEvent(row, 'expired', { kind: 'system' }, row.expires_at ?? now, null);
      }
    });
  }

  private addEvent(row: KeyRow, type: NewEvent['type'], actor: Actor, at: number, changes: NewEvent['changes']): void {
    this.events.add({
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

  private insertAccount(parentId: string | null, name: string): AccountRow {
    const now = this.clock.now();
    const row: AccountRow = {
      id: newId('acc', this.random),
      parent_id: parentId,
      name,
      status: 'active',
      created_at: now,
      updated_at: now,
    };
    this.accounts.insert(row);
    return row;
  }

  private accountRow(id: string): AccountRow {
    const row = this.accounts.get(parseField('account_id', idSchema, id));
    if (!row) throw new AppError('not_found', `No account ${shownId(id)}.`);
    return row;
  }

  /** The key, which must belong to `accountId` when one is given (a key elsewhere reads as absent). */
  private keyRow(accountId: string | null, keyId: string): KeyRow {
    const row = this.keys.get(parseField('key_id', idSchema, keyId));
    if (!row || (accountId !== null && row.account_id !== accountId)) {
      throw new AppError('not_found', `No key ${shownId(keyId)} in this account.`);
    }
    return row;
  }

  private freshPublicId(): string {
    for (let attempt = 0; attempt < MAX_PUBLIC_ID_ATTEMPTS; attempt++) {
      const candidate = generatePublicId(this.random);
      if (!this.keys.isPublicIdTaken(candidate) && !this.events.everUsed(candidate)) return candidate;
    }
    throw new AppError('conflict', 'Could not find a free public key id; try again.');
  }

  /** null stays null; anything else must parse and lie in the future. */
  private futureInstant(value: string | null, now: number): number | null {
    if (value === null) return null;
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw new AppError('invalid_request', 'expires_at: is not a valid date-time');
    if (at <= now) throw new AppError('invalid_request', 'expires_at: must be in the future');
    return at;
  }

  private toApiKey(row: KeyRow, now: number): ApiKey {
    const pending = this.verifier.pendingLastUsed(row.public_id);
    const lastUsedAt = pending !== undefined && pending > (row.last_used_at ?? 0) ? pending : row.last_used_at;
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
    };
  }
}
