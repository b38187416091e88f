// One request's whole admission, Unkey's verifyKey in shape: is the presented key valid, may it act
// on this account, and does its rate limit allow the call? The caller (the HTTP server) maps the
// decision to a response and never drives the verifier's cache itself.
//
// Where the rate limit's round trip also reads the store's change token (PostgreSQL), the cache's
// answer is taken provisionally and confirmed by that read: one round trip for both. A refusal is
// never provisional (the cache may not know a key made elsewhere a moment ago), and an answer whose
// basis moved is asked again against the fresh read.
import type { Clock } from '../shared/clock';
import type { Allowance, KeyLimiter } from './rate-limit/token-buckets';
import type { VerifiedKey, Verifier, VerifyFailure, VerifyResult } from './verifier';

export interface AuthenticateOptions {
  /** When the request began (performance.now()): its answer reflects every change acknowledged before. */
  since: number;
  /**
   * The route may act on an inactive account (to reactivate it): the key is checked on its own
   * account, then it must reach the target whatever the target's status.
   */
  inactiveTargetAllowed?: boolean;
  /** Where the key's calls are counted; without one nothing is limited. */
  limiter?: KeyLimiter | null;
}

export type AuthFailure = VerifyFailure | 'rate_limited';

/** A failure's keyId: the key presented, when its public id is known (see VerifyResult). */
export type Authentication =
  | { ok: true; key: VerifiedKey; accountId: string; allowance: Allowance | null }
  | { ok: false; reason: 'rate_limited'; key: VerifiedKey; allowance: Allowance }
  | { ok: false; reason: VerifyFailure; keyId?: string };

export async function authenticate(
  verifier: Verifier,
  clock: Clock,
  presented: string,
  targetAccountId: string | null,
  options: AuthenticateOptions,
): Promise<Authentication> {
  const { since, limiter } = options;
  const lenient = options.inactiveTargetAllowed === true && targetAccountId !== null;
  const provisional = limiter?.confirmsChanges === true;
  const basis = verifier.basis; // what the cache's answer below rests on

  // Counted as a use only once the rate limit has answered: a 429 is not a use of the key.
  // Awaited only when a step really is a promise: a cached verification answers at once, and each
  // needless await is a turn of the microtask queue on every request.
  const check = (fromCache: boolean): VerifyResult | Promise<VerifyResult> => {
    const result = verifier.verify(presented, lenient ? null : targetAccountId, clock.now(), false, since, fromCache);
    if (!lenient) return result;
    return settle(result, (verified) =>
      verified.ok ? withReach(verifier, verified, targetAccountId as string) : verified,
    );
  };

  let pending = check(provisional);
  let result = pending instanceof Promise ? await pending : pending;
  if (provisional && !result.ok) {
    pending = check(false);
    result = pending instanceof Promise ? await pending : pending;
  }
  if (!result.ok) return result;
  if (!limiter) {
    verifier.recordCall(result.key, false, clock.now());
    return { ok: true, key: result.key, accountId: result.account_id, allowance: null };
  }

  const taking = limiter.take(result.key.id);
  const allowance = taking instanceof Promise ? await taking : taking;
  const changes = allowance.changeToken;
  if (changes) {
    verifier.tokenSeen(changes.token, changes.askedAt);
    if (provisional && changes.token !== String(basis)) {
      // Keys or accounts changed since the cache was last confirmed: ask again, against that read.
      pending = check(false);
      result = pending instanceof Promise ? await pending : pending;
      if (!result.ok) return result;
    }
  }
  verifier.recordCall(result.key, !allowance.allowed, clock.now());
  if (!allowance.allowed) return { ok: false, reason: 'rate_limited', key: result.key, allowance };
  return { ok: true, key: result.key, accountId: result.account_id, allowance };
}

/** A verification on the key's own account, carried to a target it must reach whatever the target's status. */
function withReach(
  verifier: Verifier,
  verified: VerifyResult & { ok: true },
  target: string,
): VerifyResult | Promise<VerifyResult> {
  return settle(verifier.reaches(verified.key.account_id, target), (reached) =>
    reached
      ? { ok: true, key: verified.key, account_id: target }
      : { ok: false, reason: 'forbidden', keyId: verified.key.id },
  );
}

/** `then` applied at once to a value, or after a promise. */
function settle<T, U>(value: T | Promise<T>, then: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(then) : then(value);
}
