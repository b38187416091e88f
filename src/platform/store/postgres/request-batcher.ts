// What a server asks the database on every request, batched: the revision its verification cache
// is checked against, and a token from each caller's rate-limit bucket. Everything asked while one
// batch is out goes in the next, sent when it returns: under load one round trip answers dozens
// of requests, where one each cost more than the rest of a request.
//
// Never stale: a caller joins a batch not sent yet, never one already out (that one may have read
// the database before a change the caller must see).
import type { Pool } from 'pg';

export interface Take {
  key: string;
  now: number;
  capacity: number;
  refillPerSecond: number;
}

export interface Taken {
  allowed: boolean;
  /** What the bucket holds after the take. */
  tokens: number;
  /** The revision, read in the same statement. */
  revision: string;
}

interface Batch {
  takes: Take[];
  revision: Deferred<string> | null;
  taken: Deferred<Taken[]> | null;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  promise.catch(() => {}); // a caller that stopped waiting leaves no unhandled rejection
  return { promise, resolve, reject };
}

export class RequestBatcher {
  /** The batch being filled; sent when none is out. */
  private next: Batch | null = null;
  private out = false;

  constructor(private readonly pool: Pool) {}

  revision(): Promise<string> {
    const batch = this.filling();
    batch.revision ??= deferred();
    return batch.revision.promise;
  }

  async take(take: Take): Promise<Taken> {
    const batch = this.filling();
    const index = batch.takes.push(take) - 1;
    batch.taken ??= deferred();
    return (await batch.taken.promise)[index] as Taken;
  }

  private filling(): Batch {
    if (!this.next) {
      this.next = { takes: [], revision: null, taken: null };
      // Sent once the caller's own synchronous code has run, so what it asks at once goes together.
      if (!this.out) queueMicrotask(() => this.send());
    }
    return this.next;
  }

  private send(): void {
    const batch = this.next;
    if (!batch || this.out) return;
    this.next = null;
    this.out = true;
    this.query(batch)
      .then(({ revision, taken }) => {
        batch.revision?.resolve(revision);
        batch.taken?.resolve(taken);
      })
      .catch((error: unknown) => {
        batch.revision?.reject(error);
        batch.taken?.reject(error);
      })
      .finally(() => {
        this.out = false;
        this.send();
      });
  }

  private async query(batch: Batch): Promise<{ revision: string; taken: Taken[] }> {
    if (batch.takes.length === 0) {
      const result = await this.pool.query<{ revision: number }>({
        name: 'batch_revision',
        text: 'SELECT revision FROM platform_state',
      });
      return { revision: String(result.rows[0]?.revision), taken: [] };
    }
    const { takes } = batch;
    const result = await this.pool.query<{ revision: number; allowed: boolean[]; tokens: number[] }>({
      name: 'batch_revision_and_takes',
      text: `SELECT (SELECT revision FROM platform_state) AS revision, t.allowed, t.tokens
             FROM keyhold_take_tokens($1::text[], $2::bigint[], $3::float8[], $4::float8[]) t`,
      values: [
        takes.map((take) => take.key),
        takes.map((take) => take.now),
        takes.map((take) => take.capacity),
        takes.map((take) => take.refillPerSecond),
      ],
    });
    const row = result.rows[0];
    if (!row) throw new Error('keyhold_take_tokens returned no row');
    const revision = String(row.revision);
    return {
      revision,
      taken: takes.map((_, i) => ({ allowed: row.allowed[i] as boolean, tokens: row.tokens[i] as number, revision })),
    };
  }
}
