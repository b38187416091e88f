// Per-key token buckets in the database, so every server counts a key's requests in one place:
// a key gets at most its burst plus its rate over time in total, whichever server answers.
// Takes go out in the store's request batches (keyhold_take_tokens, migration 1).
import type { Clock } from '../../../shared/clock';
import type { PostgresStore } from './postgres-store';
import type { Taken } from './request-batcher';

export interface SharedBucketPolicy {
  capacity: number;
  refillPerSecond: number;
}

export class SharedTokenBuckets {
  constructor(
    private readonly store: PostgresStore,
    private readonly policy: SharedBucketPolicy,
    private readonly clock: Clock,
  ) {}

  /** Takes one token when there is one; `tokens` is what the bucket holds afterwards. */
  take(id: string): Promise<Taken> {
    return this.store.batcher.take({
      key: id,
      now: this.clock.now(),
      capacity: this.policy.capacity,
      refillPerSecond: this.policy.refillPerSecond,
    });
  }
}
