// Idempotent requests on PostgreSQL, shared by every server: each claim is one statement, so two
// requests with one key, on any servers, never both run.
import type { IdempotencyStore, IdempotentRow } from '../port';
import type { Queryable } from './repos';

const PRUNE_STEP = 2000;

export class PgIdempotency implements IdempotencyStore {
  constructor(private readonly q: Queryable) {}

  private async run<R extends object>(name: string, text: string, values: unknown[]): Promise<R[]> {
    return (await this.q.query<R>({ name, text, values })).rows;
  }

  async claim(row: IdempotentRow, staleBefore: number): Promise<IdempotentRow | null> {
    const inserted = await this.run(
      'idempotency_claim',
      `INSERT INTO idempotent_requests (id, caller, fingerprint, status, body, claimed_at, created_at)
       VALUES ($1, $2, $3, NULL, NULL, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING 1 AS claimed`,
      [row.id, row.caller, row.fingerprint, row.claimed_at, row.created_at],
    );
    if (inserted.length > 0) return null;
    const taken = await this.run(
      'idempotency_take_over',
      `UPDATE idempotent_requests SET claimed_at = $1 WHERE id = $2 AND status IS NULL AND claimed_at < $3
         AND caller = $4 AND fingerprint = $5 RETURNING 1 AS claimed`,
      [row.claimed_at, row.id, staleBefore, row.caller, row.fingerprint],
    );
    if (taken.length > 0) return null;
    return this.find(row.id);
  }

  async find(id: Buffer): Promise<IdempotentRow | null> {
    const [held] = await this.run<IdempotentRow>('idempotency_get', 'SELECT * FROM idempotent_requests WHERE id = $1', [
      id,
    ]);
    return held ?? null;
  }

  async complete(id: Buffer, status: number, body: Buffer): Promise<void> {
    await this.run('idempotency_complete', 'UPDATE idempotent_requests SET status = $1, body = $2 WHERE id = $3', [
      status,
      body,
      id,
    ]);
  }

  // Servers share the table: a claim must be a row that a duplicate on another server waits on.
  claimWithin(row: IdempotentRow, staleBefore: number): Promise<IdempotentRow | null> {
    return this.claim(row, staleBefore);
  }

  async completeWithin(row: IdempotentRow, status: number, body: Buffer): Promise<boolean> {
    await this.complete(row.id, status, body);
    return true;
  }

  async release(id: Buffer): Promise<void> {
    await this.run('idempotency_release', 'DELETE FROM idempotent_requests WHERE id = $1 AND status IS NULL', [id]);
  }

  async prune(before: number): Promise<number> {
    const gone = await this.run(
      'idempotency_prune',
      `DELETE FROM idempotent_requests WHERE id IN
         (SELECT id FROM idempotent_requests WHERE created_at < $1 ORDER BY created_at LIMIT $2) RETURNING 1 AS gone`,
      [before, PRUNE_STEP],
    );
    return gone.length;
  }
}
