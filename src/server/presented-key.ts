// What the request log records of a request that presented a key the platform knows: the
// authentication's decision as an outcome, the account asked for, and the client as it identified
// itself (its user agent and request id cleared of keys, escaped and cut, as anything a caller
// sends is before it is stored).
import { randomBytes } from 'node:crypto';
import type { Authentication } from '../platform/authenticate';
import { DOT_AT } from '../shared/key-format';
import { redactSecrets } from '../shared/redact';
import { type RequestOutcome, USER_AGENT_MAX } from '../shared/request-log';
import { escapeHidden } from '../shared/text-rules';

export interface PresentedKey {
  /** When the request was authenticated (the engine's clock): its time in the log. */
  at: number;
  keyId: string;
  /** `sk-` and the public id, as the access log names it. */
  partialKey: string;
  outcome: RequestOutcome;
  /** The account asked for or reached, when it is not the key's own. */
  accountId: string | null;
}

// A client's own request id is used when it is a plain token holding no key; anything else gets one of ours.
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
export const requestIdFor = (header: string | string[] | undefined): string =>
  typeof header === 'string' && CLIENT_REQUEST_ID.test(header) && redactSecrets(header) === header
    ? header
    : nextRequestId();

// Ours: this process's random prefix and a counter (4 billion before it wraps), distinct across
// servers and restarts without a random draw per request (that cost 2% of a request). A request
// id is no secret.
const PROCESS_PREFIX = randomBytes(4).toString('hex');
let requestCount = 0;
const nextRequestId = (): string => {
  requestCount = (requestCount + 1) >>> 0;
  return `req_${PROCESS_PREFIX}${requestCount.toString(16).padStart(8, '0')}`;
};

/** Null for a key the platform does not know (malformed, unknown id): nothing to log against. */
export function presentedKey(
  decision: Authentication,
  token: string,
  pathAccount: string | null,
  at: number,
): PresentedKey | null {
  const partialKey = token.slice(0, DOT_AT); // the key is well formed: its public part
  if (decision.ok) {
    const own = decision.accountId === decision.key.account_id;
    return { at, keyId: decision.key.id, partialKey, outcome: 'ok', accountId: own ? null : decision.accountId };
  }
  if (decision.reason === 'rate_limited') {
    return { at, keyId: decision.key.id, partialKey, outcome: 'rate_limited', accountId: pathAccount };
  }
  if (decision.keyId === undefined || decision.reason === 'malformed') return null;
  const outcome: RequestOutcome =
    decision.reason === 'unknown' ? 'wrong_secret' : decision.reason === 'forbidden' ? 'unreachable' : decision.reason;
  return { at, keyId: decision.keyId, partialKey, outcome, accountId: pathAccount };
}

/** A user agent as logged: a key in it redacted, hidden characters escaped, at most USER_AGENT_MAX characters. */
export function loggedUserAgent(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header.join(', ') : (header ?? '');
  // Clients send the same few user agents again and again: each is cleaned once.
  let logged = cleanedAgents.get(raw);
  if (logged === undefined) {
    const escaped = escapeHidden(redactSecrets(raw));
    logged = escaped.length <= USER_AGENT_MAX ? escaped : `${escaped.slice(0, USER_AGENT_MAX - 1)}…`;
    if (cleanedAgents.size >= CLEANED_AGENTS_MAX) cleanedAgents.clear();
    cleanedAgents.set(raw, logged);
  }
  return logged;
}

const CLEANED_AGENTS_MAX = 1024;
const cleanedAgents = new Map<string, string>();
