// The platform's store in one SQLite file (better-sqlite3): the embedded default, and a server's
// on one machine. Statements run synchronously; the port's promises only let the engine run on
// PostgreSQL too.
//
// One connection serves everything, so an engine transaction that awaits between its statements
// must not let another chain's statements land inside it: transactions queue behind each other,
// and a read outside them waits while one is open (it would otherwise see uncommitted rows).
import type { PlatformStore, StoreView } from '../port';
import { SqliteAccounts } from './accounts';
import { SqliteAgents } from './agents';
import { SqliteChanges } from './changes';
import { type Db, type OpenOptions, openDatabase } from './database';
import { SqliteEvents } from './events';
import { SqliteIdempotency } from './idempotency';
import { SqliteKeys } from './keys';
import { SqliteRequestLog } from './request-log';
import { SqliteUsage } from './usage';

export class SqliteStore implements PlatformStore {
  readonly kind = 'sqlite';
  readonly writersExcluded = true;
  readonly accounts;
  readonly keys;
  readonly events;
  readonly agents;
  readonly usage;
  readonly requestLog;
  readonly changes;
  readonly idempotency;
  /** The repositories themselves: what a transaction's work is given. */
  private readonly inside: StoreView;
  /** Settles when the last transaction queued so far has ended. */
  private tail: Promise<void> = Promise.resolve();
  /** Transactions running or waiting to. */
  private queued = 0;
  /** Inside batch(): every transaction joins the batch's. */
  private batching = false;
  private readonly revisionOf;
  private readonly dataVersion;
  private readonly keysRevision;
  /** The data_version the change token was last read under, and that token. */
  private tokenDataVersion = -1;
  private token = 0;

  static open(file: string, options: OpenOptions = {}): SqliteStore {
    return new SqliteStore(openDatabase(file, options));
  }

  constructor(readonly db: Db) {
    this.inside = {
      accounts: new SqliteAccounts(db),
      keys: new SqliteKeys(db),
      events: new SqliteEvents(db),
      agents: new SqliteAgents(db),
      usage: new SqliteUsage(db),
      requestLog: new SqliteRequestLog(db),
      changes: new SqliteChanges(db),
      idempotency: new SqliteIdempotency(db),
    };
    // Inside batch() every read belongs to the batch: waiting for it would wait for itself.
    const wait = () => (this.queued > 0 && !this.batching ? this.tail : undefined);
    this.accounts = outsideTransactions(this.inside.accounts, wait);
    this.keys = outsideTransactions(this.inside.keys, wait);
    this.events = outsideTransactions(this.inside.events, wait);
    this.agents = outsideTransactions(this.inside.agents, wait);
    this.usage = outsideTransactions(this.inside.usage, wait);
    this.requestLog = outsideTransactions(this.inside.requestLog, wait);
    this.changes = outsideTransactions(this.inside.changes, wait);
    this.idempotency = outsideTransactions(this.inside.idempotency, wait);
    // SQLite's count of this connection's changes, and data_version for other connections' commits.
    this.revisionOf = db
      .prepare<[], string>("SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()")
      .pluck();
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.keysRevision = db.prepare<[], number>('SELECT revision FROM platform_state').pluck();
  }

  /** IMMEDIATE: the write lock is taken up front, so two processes never deadlock upgrading to it. */
  async transaction<T>(work: (tx: StoreView) => Promise<T>): Promise<T> {
    if (this.batching) return work(this.inside);
    const previous = this.tail;
    let release = () => {};
    this.tail = new Promise((resolve) => {
      release = resolve;
    });
    this.queued++;
    try {
      await previous;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.inside);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.queued--;
      release();
    }
  }

  /**
   * Runs `work` as one transaction that every transaction it starts joins: for writing many rows
   * through the engine at once (seeding a benchmark or a test; one commit per key costs ~0.4 ms).
   * Only `work` may use the store until it settles.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    return this.transaction(async () => {
      this.batching = true;
      try {
        return await work();
      } finally {
        this.batching = false;
      }
    });
  }

  /** Every write transaction on the file already excludes every other, in any process. */
  exclusive<T>(work: (tx: StoreView) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  async platformId(): Promise<string> {
    return this.db.prepare<[], string>('SELECT platform_id FROM platform_state').pluck().get() as string;
  }

  async revision(): Promise<string> {
    await (this.queued > 0 && !this.batching ? this.tail : undefined);
    return this.revisionOf.get() as string;
  }

  /**
   * Synchronous: the verifier reads it on its hot path. Moves when another connection changed keys
   * or accounts (platform_state's revision, migration 4), read only when data_version says another
   * connection committed something: usage writes move data_version, not the token.
   */
  changeTokenNow(): number {
    const dataVersion = this.dataVersion.get() as number;
    if (dataVersion !== this.tokenDataVersion) {
      this.tokenDataVersion = dataVersion;
      this.token = this.keysRevision.get() as number;
    }
    return this.token;
  }

  async changeToken(): Promise<number> {
    return this.changeTokenNow();
  }

  async close(): Promise<void> {
    await this.tail;
    this.db.close();
  }
}

/**
 * The repository's methods, each waiting first for the transactions queued when it is called.
 * (Private helpers are wrapped too; nothing calls them from outside.)
 */
function outsideTransactions<T extends object>(repo: T, wait: () => Promise<void> | undefined): T {
  const view: Record<string, unknown> = {};
  const prototype = Object.getPrototypeOf(repo) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const method = prototype[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    view[name] = async (...args: unknown[]) => {
      const pending = wait();
      if (pending) await pending;
      return method.apply(repo, args);
    };
  }
  return view as T;
}
