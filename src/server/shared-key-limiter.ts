// Per-key rate limits counted in the PostgreSQL database every server shares, instead of in one
// server's memory: behind a load balancer a key gets its burst once, not once per server.
import type { PostgresStore } from '../platform/store/postgres/postgres-store';
import { SharedTokenBuckets } from '../platform/store/postgres/rate-buckets';
import type { Clock } from '../shared/clock';
import { type BucketPolicy, bucketState, type KeyLimiter } from './token-bucket';

export const sharedKeyLimiter =
  (store: PostgresStore) =>
  (policy: BucketPolicy, clock: Clock): KeyLimiter => {
    const buckets = new SharedTokenBuckets(store, policy, clock);
    return {
      policy,
      confirmsChanges: true,
      take: async (id) => {
        const askedAt = performance.now();
        const { allowed, tokens, revision } = await buckets.take(id);
        return { ...bucketState(policy, tokens, allowed), changeToken: { token: revision, askedAt } };
      },
    };
  };
