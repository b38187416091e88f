// Idempotent POSTs (Stripe's semantics): a request sent again with the same Idempotency-Key gets
// the first answer, with its status and body, for 24 hours, and runs only once. The same key with
// another request answers 422, from another caller or while the first is still running 409. The
// answer is kept sealed (AES-256-GCM) under a key derived from the Idempotency-Key and the caller,
// and the platform stores neither: a key's creation replayed holds its secret, which must not be
// readable at rest.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { PlatformStore } from './store/port';

/** How long a request's answer is kept for a retry. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim not finished within this long was left by a server that stopped: a retry may take it over. */
const ABANDONED_AFTER_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export type Idempotent =
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'run'; finish(status: number, body: unknown): Promise<void>; abandon(): Promise<void> };

/** An error about the Idempotency-Key header, naming it as the field at fault. */
const refusal = (code: 'invalid_request' | 'idempotency_conflict' | 'idempotency_mismatch', problem: string) =>
  new AppError(code, `Idempotency-Key: ${problem}`, [{ param: 'Idempotency-Key', message: problem }]);

const sha256 = (text: string) => createHash('sha256').update(text).digest();

function sealingKey(idempotencyKey: string, caller: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, caller, 'keyhold idempotent answer', 32));
}

function seal(key: Buffer, body: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(body ?? null), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

function open(key: Buffer, box: Buffer): unknown {
  const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, 12));
  decipher.setAuthTag(box.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8'));
}

export class Idempotency {
  private nextPruneAt = 0;

  constructor(
    private readonly store: PlatformStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Where a request with an Idempotency-Key stands: run it (then `finish` with its answer, or
   * `abandon` when it failed), or replay the first answer. `request`: what makes two requests the
   * same one (method, path, body).
   */
  async begin(idempotencyKey: string, caller: string, request: string): Promise<Idempotent> {
    if (!KEY_PATTERN.test(idempotencyKey)) {
      throw refusal(
        'invalid_request',
        'must be 1 to 255 printable ASCII characters, not starting or ending with a space',
      );
    }
    const now = this.clock.now();
    const id = sha256(`keyhold idempotency\0${idempotencyKey}`);
    const fingerprint = sha256(request);
    const row = { id, caller, fingerprint, status: null, body: null, claimed_at: now, created_at: now };
    const held = await this.store.idempotency.claim(row, now - ABANDONED_AFTER_MS);
    const key = sealingKey(idempotencyKey, caller);
    if (held === null) {
      return {
        kind: 'run',
        finish: (status, body) => this.store.idempotency.complete(id, status, seal(key, body)),
        abandon: () => this.store.idempotency.release(id),
      };
    }
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
    return { kind: 'replay', status: held.status, body: open(key, Buffer.from(held.body)) };
  }

  /** Forgets answers older than a day: a step at a time while there are some, else once an hour. */
  async prune(now: number): Promise<void> {
    if (now < this.nextPruneAt) return;
    const pruned = await this.store.idempotency.prune(now - IDEMPOTENCY_TTL_MS);
    this.nextPruneAt = pruned > 0 ? 0 : now + PRUNE_EVERY_MS;
  }
}
