// The rate limit's answer as RateLimit / RateLimit-Policy headers.
import type { BucketPolicy, BucketState } from '../platform/rate-limit/token-buckets';

/** RateLimit / RateLimit-Policy headers (IETF httpapi-ratelimit-headers, structured-field form). */
export function rateLimitHeaders(policy: BucketPolicy, state: BucketState): Record<string, string> {
  return {
    'ratelimit-policy': policyHeader(policy),
    ratelimit: `"${policy.name}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}

// The policy header never changes for a policy: written once, not on every response.
const policyHeaders = new WeakMap<BucketPolicy, string>();
function policyHeader(policy: BucketPolicy): string {
  let header = policyHeaders.get(policy);
  if (header === undefined) {
    header = `"${policy.name}";q=${policy.capacity};w=${Math.ceil(policy.capacity / policy.refillPerSecond)}`;
    policyHeaders.set(policy, header);
  }
  return header;
}
