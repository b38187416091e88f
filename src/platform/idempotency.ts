// Idempotent POSTs (Stripe's semantics): a request sent again with the same Idempotency-Key gets
// the first answer, with its status and body, for 24 hours, and runs only once. The same key with
// another request answers 422, from another caller or while the first is still running 409. The
// answer is kept sealed under a key the platform does not store (idempotent-seal.ts).
import { hash } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { open, seal, sealingKey } from './idempotent-seal';
import type { IdempotentRow, PlatformStore, StoreView } from './store/port';

/** How long a request's answer is kept for a retry. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim not finished within this long was left by a server that stopped: a retry may take it over. */
const ABANDONED_AFTER_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** A request's answer: its status and the JSON text of its body, as first sent. */
export interface Answer {
  status: number;
  json: string;
}

/** What a request ran to, or the first answer to its key, replayed. */
export interface IdempotentAnswer extends Answer {
  replayed: boolean;
}

/** An error about the Idempotency-Key header, naming it as the field at fault. */
const refusal = (code: 'invalid_request' | 'idempotency_conflict' | 'idempotency_mismatch', problem: string) =>
  new AppError(code, `Idempotency-Key: ${problem}`, [{ param: 'Idempotency-Key', message: problem }]);

// One-shot: a hash object per digest cost a create about a microsecond each.
const sha256 = (text: string) => hash('sha256', text, 'buffer');

/** The first answer to a key held by this caller for this request, or why not. */
function replayOf(held: IdempotentRow, caller: string, fingerprint: Buffer, answerIn: (box: Buffer) => string): Answer {
  if (held.caller !== caller) {
    throw refusal('idempotency_conflict', 'is in use by another caller; use a key of your own');
  }
  if (!Buffer.from(held.fingerprint).equals(fingerprint)) {
    throw refusal(
      'idempotency_mismatch',
      'was used for another request (method, path or body); use a new key for a new request',
    );
  }
  if (held.status === null || held.body === null) {
    throw new AppError(
      'idempotency_conflict',
      'Idempotency-Key: the first request with this key is still running; try again in a moment',
    );
  }
  return { status: held.status, json: answerIn(Buffer.from(held.body)) };
}

/**
 * A request's work: given the transaction to write in, when it is one. Its answer's JSON text is
 * what the caller sends, so the text sealed is the text sent, serialized once.
 */
type Work = (tx: StoreView | undefined) => Promise<Answer>;

/** One request with its key: its row, and what it replays and seals with. */
interface Attempt {
  row: IdempotentRow;
  /** A claim made before this and never finished was left by a server that stopped. */
  staleBefore: number;
  replay(held: IdempotentRow): IdempotentAnswer;
  sealed(json: string): Buffer;
}

/** Thrown out of a request's transaction to roll its work back: the id was held, by this row. */
class HeldBy {
  constructor(readonly row: IdempotentRow) {}
}

export class Idempotency {
  private nextPruneAt = 0;

  constructor(
    private readonly store: PlatformStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs the request once for its Idempotency-Key, or replays the first answer to it. `request`:
   * what makes two requests the same one (method, path, body). With `atomic` (a request whose work
   * is one engine transaction), `run` is given the transaction, and the work and the sealed answer
   * commit as one (a repeat waits for it and replays); otherwise the claim, the work and the answer
   * are each their own, and a repeat while the first runs gets 409. Either way a request that fails
   * leaves nothing behind.
   */
  async perform(
    idempotencyKey: string,
    caller: string,
    request: string,
    run: Work,
    atomic: boolean,
  ): Promise<IdempotentAnswer> {
    if (!KEY_PATTERN.test(idempotencyKey)) {
      throw refusal(
        'invalid_request',
        'must be 1 to 255 printable ASCII characters, not starting or ending with a space',
      );
    }
    const now = this.clock.now();
    const id = sha256(`keyhold idempotency\0${idempotencyKey}`);
    const fingerprint = sha256(request);
    const key = sealingKey(idempotencyKey, caller);
    const answerIn = (box: Buffer) => open(key, box, idempotencyKey, caller);
    const attempt: Attempt = {
      row: { id, caller, fingerprint, status: null, body: null, claimed_at: now, created_at: now },
      staleBefore: now - ABANDONED_AFTER_MS,
      replay: (held) => ({ ...replayOf(held, caller, fingerprint, answerIn), replayed: true }),
      sealed: (json) => seal(key, json),
    };
    if (!atomic) return this.claimedApart(attempt, run);
    if (this.store.writersExcluded) {
      const answer = await this.checkedAfterWork(attempt, run);
      if (answer !== null) return answer;
    }
    return this.claimedFirst(attempt, run);
  }

  /**
   * Where a write transaction excludes every other writer (SQLite): the work first, then the
   * answer's insert, which finds a repeat's key held and rolls its work back. Null: the key is held
   * by a claim its server left unfinished, for claimedFirst() to take over.
   */
  private async checkedAfterWork({ row, staleBefore, replay, sealed }: Attempt, run: Work) {
    try {
      return await this.store.transaction(async (tx): Promise<IdempotentAnswer> => {
        let answer: Answer;
        try {
          answer = await run(tx);
        } catch (error) {
          // A repeat can fail where the first succeeded (the key it made has expired since).
          const held = await tx.idempotency.find(row.id);
          throw held ? new HeldBy(held) : error;
        }
        if (await tx.idempotency.completeWithin(row, answer.status, sealed(answer.json))) {
          return { ...answer, replayed: false };
        }
        throw new HeldBy((await tx.idempotency.find(row.id)) as IdempotentRow);
      });
    } catch (error) {
      if (!(error instanceof HeldBy)) throw error;
      const abandoned = error.row.status === null && error.row.claimed_at < staleBefore;
      return abandoned ? null : replay(error.row);
    }
  }

  /** The claim, the work and the answer in one transaction, whose rollback forgets the claim. */
  private claimedFirst({ row, staleBefore, replay, sealed }: Attempt, run: Work): Promise<IdempotentAnswer> {
    return this.store.transaction(async (tx) => {
      const held = await tx.idempotency.claimWithin(row, staleBefore);
      if (held !== null) return replay(held);
      const answer = await run(tx);
      await tx.idempotency.completeWithin(row, answer.status, sealed(answer.json));
      return { ...answer, replayed: false };
    });
  }

  /** The claim, the work and the answer each on its own: a failed request's claim is released. */
  private async claimedApart({ row, staleBefore, replay, sealed }: Attempt, run: Work): Promise<IdempotentAnswer> {
    const held = await this.store.idempotency.claim(row, staleBefore);
    if (held !== null) return replay(held);
    let answer: Answer;
    try {
      answer = await run(undefined);
    } catch (error) {
      await this.store.idempotency.release(row.id);
      throw error;
    }
    await this.store.idempotency.complete(row.id, answer.status, sealed(answer.json));
    return { ...answer, replayed: false };
  }

  /** Forgets answers older than a day: a step at a time while there are some, else once an hour. */
  async prune(now: number): Promise<void> {
    if (now < this.nextPruneAt) return;
    const pruned = await this.store.idempotency.prune(now - IDEMPOTENCY_TTL_MS);
    this.nextPruneAt = pruned > 0 ? 0 : now + PRUNE_EVERY_MS;
  }
}
