// Idempotent requests on SQLite: each claim is one statement, so two requests with one key never
// both run. Inside a write transaction (BEGIN IMMEDIATE) no other connection, in any process, can
// write, so there the transaction is the claim: the row is written once, finished, and its insert
// is the check (a claim's insert and then update, and a lookup before the work, cost an idempotent
// create about 3% and 2% of its speed in bench:server).
import type { IdempotencyStore, IdempotentRow } from '../port';
import type { Db } from './database';

const PRUNE_STEP = 2000;

export class SqliteIdempotency implements IdempotencyStore {
  private readonly insert;
  private readonly insertFinished;
  private readonly dropAbandoned;
  private readonly takeOver;
  private readonly byId;
  private readonly finish;
  private readonly forget;
  private readonly pruneStep;

  constructor(db: Db) {
    this.insert = db.prepare<[IdempotentRow]>(
      `INSERT INTO idempotent_requests (id, caller, fingerprint, status, body, claimed_at, created_at)
       VALUES (@id, @caller, @fingerprint, NULL, NULL, @claimed_at, @created_at) ON CONFLICT (id) DO NOTHING`,
    );
    this.insertFinished = db.prepare<[Buffer, string, Buffer, number, Buffer, number, number]>(
      `INSERT INTO idempotent_requests (id, caller, fingerprint, status, body, claimed_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.dropAbandoned = db.prepare<[IdempotentRow & { stale: number }]>(
      `DELETE FROM idempotent_requests WHERE id = @id AND status IS NULL
         AND claimed_at < @stale AND caller = @caller AND fingerprint = @fingerprint`,
    );
    this.takeOver = db.prepare<[IdempotentRow & { stale: number }]>(
      `UPDATE idempotent_requests SET claimed_at = @claimed_at WHERE id = @id AND status IS NULL
         AND claimed_at < @stale AND caller = @caller AND fingerprint = @fingerprint`,
    );
    this.byId = db.prepare<[Buffer], IdempotentRow>('SELECT * FROM idempotent_requests WHERE id = ?');
    this.finish = db.prepare<[number, Buffer, Buffer]>(
      'UPDATE idempotent_requests SET status = ?, body = ? WHERE id = ?',
    );
    this.forget = db.prepare<[Buffer]>('DELETE FROM idempotent_requests WHERE id = ? AND status IS NULL');
    // Oldest first by arrival (rowid, migration 10); a row that arrived out of time order waits for
    // the rows before it, a few seconds at most.
    this.pruneStep = db.prepare<[number, number]>(
      `DELETE FROM idempotent_requests WHERE created_at < ? AND rowid IN
         (SELECT rowid FROM idempotent_requests ORDER BY rowid LIMIT ?)`,
    );
  }

  async claim(row: IdempotentRow, staleBefore: number): Promise<IdempotentRow | null> {
    if (this.insert.run(row).changes > 0) return null;
    if (this.takeOver.run({ ...row, stale: staleBefore }).changes > 0) return null;
    return this.byId.get(row.id) ?? null;
  }

  async complete(id: Buffer, status: number, body: Buffer): Promise<void> {
    this.finish.run(status, body, id);
  }

  async claimWithin(row: IdempotentRow, staleBefore: number): Promise<IdempotentRow | null> {
    const held = this.byId.get(row.id);
    if (held === undefined) return null;
    // Taken over by forgetting it: completeWithin() writes the row anew.
    if (this.dropAbandoned.run({ ...row, stale: staleBefore }).changes > 0) return null;
    return held;
  }

  async find(id: Buffer): Promise<IdempotentRow | null> {
    return this.byId.get(id) ?? null;
  }

  async completeWithin(row: IdempotentRow, status: number, body: Buffer): Promise<boolean> {
    const { changes } = this.insertFinished.run(
      row.id,
      row.caller,
      row.fingerprint,
      status,
      body,
      row.claimed_at,
      row.created_at,
    );
    return changes > 0;
  }

  async release(id: Buffer): Promise<void> {
    this.forget.run(id);
  }

  async prune(before: number): Promise<number> {
    return this.pruneStep.run(before, PRUNE_STEP).changes;
  }
}
