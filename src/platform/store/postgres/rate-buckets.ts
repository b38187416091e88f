// Per-key token buckets in the database, so every server counts a key's requests in one place:
// a key gets at most its burst plus its rate over time in total, whichever server answers.
// One round trip per request (keyhold_take_token, migration 1).
import type { Pool } from 'pg';
import type { Clock } from '../../../shared/clock';

export interface SharedBucketPolicy {
  capacity: number;
  refillPerSecond: number;
}

export class SharedTokenBuckets {
  constructor(
    private readonly pool: Pool,
    private readonly policy: SharedBucketPolicy,
    private readonly clock: Clock,
  ) {}

  /** Takes one token when there is one; `tokens` is what the bucket holds afterwards. */
  async take(id: string): Promise<{ allowed: boolean; tokens: number }> {
    const result = await this.pool.query<{ allowed: boolean; tokens: number }>({
      name: 'take_token',
      text: 'SELECT allowed, tokens FROM keyhold_take_token($1, $2, $3, $4)',
      values: [id, this.clock.now(), this.policy.capacity, this.policy.refillPerSecond],
    });
    return result.rows[0] as { allowed: boolean; tokens: number };
  }
}
