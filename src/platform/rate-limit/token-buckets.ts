// Token buckets keyed by caller (a key id, a client address): `capacity` requests at once, refilled
// continuously at `refillPerSecond`. These live in one process's memory; on PostgreSQL the per-key
// buckets live in the database, shared by every server (store/postgres/shared-key-limiter.ts).
import type { Clock } from '../../shared/clock';

export interface BucketPolicy {
  /** Name used in the RateLimit headers. */
  name: string;
  capacity: number;
  refillPerSecond: number;
}

export interface BucketState {
  allowed: boolean;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until one token is available (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Where a caller's requests are counted: this server's memory, or a store every server shares. */
export interface KeyLimiter {
  readonly policy: BucketPolicy;
  /**
   * True when every take also reads the store's change token (`changeToken` in its answer), so
   * verification can be confirmed by it instead of a round trip of its own.
   */
  readonly confirmsChanges?: boolean;
  /** Takes one token when there is one. */
  take(id: string): Allowance | Promise<Allowance>;
  /** Gives back the token a request took: a 304 does not count against the limit. */
  refund(id: string): void | Promise<void>;
}

export type Allowance = BucketState & { changeToken?: ChangeTokenRead };

/** A change token and when it was asked for (monotonic ms): it was read after that moment. */
export interface ChangeTokenRead {
  token: string;
  askedAt: number;
}

/** The answer for a bucket holding `tokens` after the request (one was taken when allowed). */
export function bucketState(policy: BucketPolicy, tokens: number, allowed: boolean): BucketState {
  return {
    allowed,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((policy.capacity - tokens) / policy.refillPerSecond),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / policy.refillPerSecond)),
  };
}

const MAX_TRACKED = 50_000;

export class TokenBuckets implements KeyLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly policy: BucketPolicy,
    private readonly clock: Clock,
  ) {}

  /** Takes one token when there is one. */
  take(id: string): BucketState {
    return this.settle(id, 1);
  }

  /** Looks without taking. */
  peek(id: string): BucketState {
    return this.settle(id, 0);
  }

  refund(id: string): void {
    const bucket = this.buckets.get(id);
    if (bucket) bucket.tokens = Math.min(this.policy.capacity, bucket.tokens + 1);
  }

  private settle(id: string, cost: number): BucketState {
    const now = this.clock.now();
    const { capacity, refillPerSecond } = this.policy;
    const bucket = this.buckets.get(id) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * refillPerSecond);
    bucket.updatedAt = now;
    const allowed = bucket.tokens >= cost && (cost > 0 || bucket.tokens >= 1);
    if (allowed) bucket.tokens -= cost;
    if (!this.buckets.has(id)) this.remember(id, bucket);
    return bucketState(this.policy, bucket.tokens, allowed);
  }

  private remember(id: string, bucket: Bucket): void {
    if (this.buckets.size >= MAX_TRACKED) {
      // Full buckets carry no information: drop them first; failing that, the oldest.
      const now = this.clock.now();
      for (const [key, old] of this.buckets) {
        const refilled = old.tokens + ((now - old.updatedAt) / 1000) * this.policy.refillPerSecond;
        if (refilled >= this.policy.capacity) this.buckets.delete(key);
      }
      if (this.buckets.size >= MAX_TRACKED) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(id, bucket);
  }
}

export interface RateLimits {
  /** Requests per key. */
  perKey: BucketPolicy;
  /** Failed authentications per client address: stricter, against key guessing. */
  failedAuthPerAddress: BucketPolicy;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perKey: { name: 'key', capacity: 120, refillPerSecond: 20 },
  failedAuthPerAddress: { name: 'failed-auth', capacity: 10, refillPerSecond: 0.2 },
};
