// Per-key rate limits counted in the PostgreSQL database every server shares, instead of in one
// server's memory: behind a load balancer a key gets its burst once, not once per server (at most
// its burst plus its rate over time in total). Takes go out in the store's request batches
// (keyhold_take_tokens, migration 1), and each answer carries the store's revision read in the
// same round trip, so authenticate confirms its cached answer without a query of its own.
import type { Clock } from '../../../shared/clock';
import { type BucketPolicy, bucketState, type KeyLimiter } from '../../rate-limit/token-buckets';
import type { PostgresStore } from './postgres-store';

export const sharedKeyLimiter =
  (store: PostgresStore) =>
  (policy: BucketPolicy, clock: Clock): KeyLimiter => ({
    policy,
    confirmsChanges: true,
    take: async (id) => {
      const askedAt = performance.now();
      const { allowed, tokens, revision } = await store.batcher.take({
        key: id,
        now: clock.now(),
        capacity: policy.capacity,
        refillPerSecond: policy.refillPerSecond,
      });
      return { ...bucketState(policy, tokens, allowed), changeToken: { token: revision, askedAt } };
    },
    refund: async (id) => {
      await store.pool.query('UPDATE rate_buckets SET tokens = LEAST($2::float8, tokens + 1) WHERE key_id = $1', [
        id,
        policy.capacity,
      ]);
    },
  });
