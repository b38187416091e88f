// The platform's store on PostgreSQL: for several `keyhold serve` instances behind a load
// balancer on one database. Every call is a round trip on a pooled connection; a transaction
// holds one connection from BEGIN to COMMIT.
import pg from 'pg';
import { AppError } from '../../../shared/errors';
import type { PlatformStore, StoreView } from '../port';
import { type MigrationReport, migratePostgres } from './migrations';
import { pgView, type Queryable } from './repos';
import { RequestBatcher } from './request-batcher';
import { redactUrl } from './url';

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Where the tables live (default: the connection's search_path, normally `public`). */
  schema?: string;
  /** Apply pending migrations on connect (default true); false refuses a database that needs them. */
  migrate?: boolean;
}

// BIGINT (int8) as a number: times are milliseconds (far below 2^53) and counts are small.
// COUNT(*) and identity ids are int8 too.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The advisory lock exclusive() holds: "khboot" in ASCII. */
const EXCLUSIVE_LOCK = 0x6b68626f6f74;

export class PostgresStore implements PlatformStore {
  readonly kind = 'postgres';
  readonly writersExcluded = false;
  readonly accounts;
  readonly keys;
  readonly events;
  readonly agents;
  readonly usage;
  readonly requestLog;
  readonly changes;
  readonly idempotency;
  /** Revision reads and rate-limit takes, a round trip for all that arrive together. */
  readonly batcher: RequestBatcher;

  /** Connects, checks the schema (migrating it unless told not to) and returns the store. */
  static async connect(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const pool = newPool(url, options);
    try {
      const report = await migratePostgres(pool, { apply: options.migrate ?? true });
      if (report.pending.length > 0) {
        throw new AppError(
          'unavailable',
          `The database needs migrations ${report.pending.join(', ')}: run keyhold migrate --database-url … first.`,
        );
      }
      return new PostgresStore(pool);
    } catch (error) {
      await pool.end().catch(() => {});
      throw unavailable(url, error);
    }
  }

  constructor(readonly pool: pg.Pool) {
    this.batcher = new RequestBatcher(pool);
    const view = pgView(pool as Queryable, false);
    this.accounts = view.accounts;
    this.keys = view.keys;
    this.events = view.events;
    this.agents = view.agents;
    this.usage = view.usage;
    this.requestLog = view.requestLog;
    this.changes = view.changes;
    this.idempotency = view.idempotency;
  }

  async transaction<T>(work: (tx: StoreView) => Promise<T>): Promise<T> {
    return this.inTransaction(false, work);
  }

  /** A transaction holding an advisory lock: every server's exclusive() waits for the others'. */
  exclusive<T>(work: (tx: StoreView) => Promise<T>): Promise<T> {
    return this.inTransaction(true, work);
  }

  async platformId(): Promise<string> {
    const [row] = (await this.pool.query<{ platform_id: string }>('SELECT platform_id FROM platform_state')).rows;
    return row?.platform_id as string;
  }

  async revision(): Promise<string> {
    const [row] = (
      await this.pool.query<{ revision: number; usage_revision: number }>(
        'SELECT revision, usage_revision FROM platform_state',
      )
    ).rows;
    return `${row?.revision}:${row?.usage_revision}`;
  }

  /**
   * The revision, read by a query sent after this call: however many verifications run at once,
   * they share a round trip (see RequestBatcher).
   */
  changeToken(): Promise<string> {
    return this.batcher.revision();
  }

  changeTokenNow(): Promise<string> {
    return this.changeToken();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async inTransaction<T>(exclusive: boolean, work: (tx: StoreView) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      if (exclusive) await client.query('SELECT pg_advisory_xact_lock($1)', [EXCLUSIVE_LOCK]);
      const result = await work(pgView(client as Queryable, true));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection is gone: do not give it back to the pool
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function newPool(url: string, options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

function unavailable(url: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('unavailable', `Cannot open the PostgreSQL database ${redactUrl(url)}: ${reason}`);
}

/** `keyhold migrate`: applies the pending migrations (or, `apply: false`, lists them) and disconnects. */
export async function migrateDatabase(
  url: string,
  options: { apply: boolean; schema?: string },
): Promise<MigrationReport & { pending: number[] }> {
  const pool = newPool(url, { poolSize: 1, ...(options.schema ? { schema: options.schema } : {}) });
  try {
    return await migratePostgres(pool, { apply: options.apply });
  } catch (error) {
    throw unavailable(url, error);
  } finally {
    await pool.end().catch(() => {});
  }
}
