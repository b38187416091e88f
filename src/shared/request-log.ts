// The platform's request log, as the HTTP API, the SDK and the app see it: every request that
// presented a key whose public id the platform knows, valid or not, and where it came from; and
// what a key did (its actions), for the compromised-key review.
import { z } from 'zod';

/** How the platform answered a key, in the order the checks run. */
export const REQUEST_OUTCOMES = [
  'ok',
  'revoked',
  'expired',
  'wrong_secret',
  'unreachable',
  'account_inactive',
  'rate_limited',
] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** A set of outcomes as bits (a source remembers every outcome it has had). */
export const outcomeBit = (outcome: RequestOutcome): number => 1 << REQUEST_OUTCOMES.indexOf(outcome);
export const outcomesOf = (bits: number): RequestOutcome[] =>
  REQUEST_OUTCOMES.filter((_, i) => (bits & (1 << i)) !== 0);

/** A user agent as logged: at most 256 characters (longer ones are cut, and say so). */
export const USER_AGENT_MAX = 256;

const time = z.iso.datetime().describe('ISO-8601, UTC');

export const requestRecordSchema = z
  .object({
    id: z.string().describe('Opaque; newer requests compare greater as numbers'),
    at: time,
    method: z.string(),
    route: z.string().describe('The route pattern, never the raw URL: `/v1/accounts/:accountId/api-keys`'),
    status: z.number().int(),
    outcome: z.enum(REQUEST_OUTCOMES),
    account_id: z.string().nullable().describe('The account the request reached or asked for'),
    address: z.string().describe('The client address (the forwarded one behind a trusted proxy)'),
    user_agent: z.string().describe('At most 256 characters, control and invisible characters escaped'),
    source_id: z.string().describe('The source (address and user agent) in the key’s sources'),
    request_id: z.string(),
  })
  .meta({ id: 'KeyRequest' });
export type RequestRecord = z.infer<typeof requestRecordSchema>;

export const requestSourceSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    user_agent: z.string(),
    first_seen: time,
    last_seen: time,
    count: z.number().int(),
    outcomes: z.array(z.enum(REQUEST_OUTCOMES)).describe('Every outcome this source has had'),
  })
  .meta({ id: 'KeySource' });
export type RequestSource = z.infer<typeof requestSourceSchema>;

export const listRequestsSchema = z.strictObject({
  since: time.optional().describe('Requests at or after this time'),
  until: time.optional().describe('Requests before this time'),
  outcome: z.enum(REQUEST_OUTCOMES).optional(),
  source: z.string().max(32).optional().describe('A source id from the key’s sources'),
  limit: z.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(100).optional().describe('`next_cursor` from the previous page'),
});
export type ListRequestsInput = z.input<typeof listRequestsSchema>;
export type ListRequestsQuery = z.output<typeof listRequestsSchema>;

/** What a key did through the API: the keys, accounts and agents it created, changed or removed. */
export const keyActionSchema = z
  .object({
    at: time,
    subject: z.enum(['key', 'account', 'agent']),
    subject_id: z.string(),
    account_id: z.string().describe('Where the subject lives: a key’s or agent’s account, a subaccount’s parent'),
    action: z
      .string()
      .describe(
        'created, edited, revoked, reactivated, deleted (keys); created, renamed, deactivated, activated (accounts); created (agents)',
      ),
    name: z.string().describe('The key’s label or the account’s or agent’s name, as it was then'),
  })
  .meta({ id: 'KeyAction' });
export type KeyAction = z.infer<typeof keyActionSchema>;

/** The last request a key was served: when, from where, and what it asked for. */
export const lastUseSchema = z
  .object({
    at: time,
    address: z.string(),
    user_agent: z.string(),
    method: z.string(),
    route: z.string(),
  })
  .meta({ id: 'KeyLastUse' });
export type LastUse = z.infer<typeof lastUseSchema>;

export type RequestPage = { data: RequestRecord[]; next_cursor: string | null };

/**
 * What the audit reads of one key's use (its activity rules): when its sources were first seen,
 * how many it had lately, and how often it was presented after its revocation or expiry. Only keys
 * with a logged source have one.
 */
export const keyUseSchema = z
  .object({
    key_id: z.string(),
    first_source_at: time.describe('When the key’s first source was first seen'),
    newest_source_at: time.describe('When the key’s newest source was first seen'),
    recent_sources: z.number().int().describe('Sources that presented the key at or after `since`'),
    refused_attempts: z
      .number()
      .int()
      .describe('Requests at or after `since` refused because the key was revoked or expired (counted up to 100,000)'),
  })
  .meta({ id: 'KeyUse' });
export type KeyUse = z.infer<typeof keyUseSchema>;

/** Refused attempts are counted up to this many per key: enough to say "repeated", bounded in cost. */
export const REFUSED_ATTEMPTS_COUNTED = 100_000;

export const listKeyUseSchema = z.strictObject({
  since: time.describe('The start of the window `recent_sources` and `refused_attempts` count in'),
  limit: z.number().int().min(1).max(10_000).default(1000),
  cursor: z.string().max(100).optional().describe('`next_cursor` from the previous page'),
});
export type ListKeyUseInput = z.input<typeof listKeyUseSchema>;
export type KeyUsePage = { data: KeyUse[]; next_cursor: string | null };
