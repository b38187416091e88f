// Every answer an operation can give besides its success, written once: the OpenAPI document
// lists them and Fastify serializes error bodies by the same schema.
import { z } from 'zod';
import type { RouteSpec } from './routes';

/** The codes this server puts in `error.code`. */
export const SERVER_ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'account_inactive',
  'not_found',
  'method_not_allowed',
  'conflict',
  'idempotency_conflict',
  'idempotency_mismatch',
  'rate_limited',
  'sync_token_expired',
  'precondition_failed',
  'internal',
] as const;

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(SERVER_ERROR_CODES),
      message: z.string().describe('Fit to show a person; names the field at fault. Never holds a secret'),
      param: z.string().optional().describe('The field at fault (the first, when several are): `label`, `limit`'),
      errors: z
        .array(z.object({ param: z.string(), message: z.string() }))
        .optional()
        .describe('Every field at fault, when more than one is'),
      request_id: z.string().describe('The request’s id: its Request-Id header, and the server’s logs'),
      doc_url: z.string().describe('Where the code is explained: `/v1/errors#<code>` on this server'),
    }),
  })
  .meta({
    id: 'Error',
    examples: [
      {
        error: {
          code: 'invalid_request',
          message: 'label: must not be empty',
          param: 'label',
          request_id: 'req_5f0c2a91d3b4e6f7',
          doc_url: '/v1/errors#invalid_request',
        },
      },
    ],
  });

/** The same error in RFC 9457's form, for a client that asks `Accept: application/problem+json`. */
export const problemSchema = z
  .object({
    type: z.string().describe('Where the code is explained (a URI reference): `/v1/errors#<code>`'),
    title: z.string().describe('The code in words'),
    status: z.number().int(),
    detail: z.string().describe('As `error.message`: fit to show a person, names the field at fault'),
    code: z.enum(SERVER_ERROR_CODES),
    param: z.string().optional(),
    errors: z.array(z.object({ param: z.string(), message: z.string() })).optional(),
    request_id: z.string(),
    doc_url: z.string(),
  })
  .meta({ id: 'Problem' });

/** What GET /v1/errors lists: each code, its status, its meaning and what to do. */
export const errorDocsSchema = z.object({
  data: z.array(
    z.object({ code: z.enum(SERVER_ERROR_CODES), status: z.number().int(), title: z.string(), help: z.string() }),
  ),
});

export interface ResponseHeader {
  description: string;
  example: string;
  /** Sent with every response it is declared on. */
  required?: boolean;
}

/** On an admitted key's answers (a refusal before the key is known has none). */
export const RATE_LIMIT_HEADERS: Record<string, ResponseHeader> = {
  'RateLimit-Policy': { description: 'The per-key limit (IETF RateLimit fields)', example: '"key";q=120;w=6' },
  RateLimit: { description: 'Requests left and seconds until the bucket is full', example: '"key";r=119;t=1' },
};

/** The same on the answers that always carry them: a success, a 304 and a 429. */
export const SENT_RATE_LIMIT_HEADERS: Record<string, ResponseHeader> = Object.fromEntries(
  Object.entries(RATE_LIMIT_HEADERS).map(([name, header]) => [name, { ...header, required: true }]),
);

/** On every answer, refusals included: quote it when asking about a request. */
export const REQUEST_ID_HEADER: Record<string, ResponseHeader> = {
  'Request-Id': {
    description: 'The request’s id: the client’s valid X-Request-Id, or the server’s own; also in error bodies',
    example: 'req_5f0c2a91d3b4e6f7',
    required: true,
  },
};

/** On an answer that holds a secret (a key's creation): stored by no cache on the way. */
export const NO_STORE_HEADERS: Record<string, ResponseHeader> = {
  'Cache-Control': { description: 'Never stored: the body holds a secret', example: 'no-store', required: true },
  Pragma: { description: 'The same, for HTTP/1.0 caches', example: 'no-cache', required: true },
};

export interface ErrorResponse {
  status: number;
  description: string;
  headers?: Record<string, ResponseHeader>;
}

const IDEMPOTENCY_CONFLICT = 'The Idempotency-Key is another caller’s, or its first request is still running';

/** On an answer that can be asked for again with If-None-Match (every GET's). */
export const REVALIDATION_HEADERS: Record<string, ResponseHeader> = {
  ETag: {
    description:
      'The answer’s entity tag: send it in If-None-Match to get 304 when nothing changed. A key’s or an ' +
      'account’s starts with its version (before the dot), which If-Match compares',
    example: '"Jk3vQ0aXl1mC8dYbT2wR5g.9gFz1kq0Rr2mV7cXyA4bNe"',
    required: true,
  },
  'Cache-Control': {
    description: 'Kept by the client only, and asked again (with If-None-Match) each time',
    example: 'private, no-cache',
    required: true,
  },
};

/** On a write's answer that is a key or an account: the ETag to send with the next write's If-Match. */
export const ETAG_HEADER: Record<string, ResponseHeader> = {
  ETag: {
    description: 'The resource’s entity tag now: send it in If-Match with the next change',
    example: '"Jk3vQ0aXl1mC8dYbT2wR5g.Qm9rZWRfYm9keV9oYXNo"',
    required: true,
  },
};

/** On a POST's answer replayed for a repeated Idempotency-Key. */
export const REPLAYED_HEADER: Record<string, ResponseHeader> = {
  'Idempotent-Replayed': { description: 'true: the first answer to this Idempotency-Key, sent again', example: 'true' },
};

const hasPathIds = (route: RouteSpec) => route.path.includes('/:');
const takesBody = (route: RouteSpec) => route.method !== 'GET';

/** The error statuses of one operation, in status order. */
export function errorResponsesOf(route: RouteSpec): ErrorResponse[] {
  const responses: (ErrorResponse | false)[] = [
    { status: 400, description: 'Bad request: the message names the field' },
    {
      status: 401,
      description: 'Missing, malformed, unknown, revoked or expired key',
      headers: {
        'WWW-Authenticate': { description: 'RFC 6750 challenge', example: 'Bearer realm="keyhold"', required: true },
      },
    },
    { status: 403, description: 'The key cannot reach this account, or the account is inactive' },
    hasPathIds(route) && { status: 404, description: 'Not found in this account' },
    {
      status: 405,
      description: 'Another method sent to this path: the `Allow` header names the methods the path answers',
      headers: { Allow: { description: 'The methods this path answers', example: 'GET, POST', required: true } },
    },
    (route.conflict !== undefined || route.method === 'POST') && {
      status: 409,
      description: [route.conflict, route.method === 'POST' && IDEMPOTENCY_CONFLICT].filter(Boolean).join('; or '),
    },
    route.gone !== undefined && { status: 410, description: route.gone },
    route.conditional === true && {
      status: 412,
      description: 'If-Match named a version the resource no longer has: someone changed it since it was read',
    },
    route.method === 'POST' && { status: 422, description: 'The Idempotency-Key was sent before with another request' },
    takesBody(route) && { status: 413, description: 'The body is over 64 KiB' },
    hasPathIds(route) && { status: 414, description: 'A path segment is over 100 characters' },
    takesBody(route) && { status: 415, description: 'A body that is not application/json' },
    {
      status: 429,
      description: 'Rate limited: too many requests for this key, or too many failed keys from this address',
      headers: {
        'Retry-After': { description: 'Seconds to wait', example: '3', required: true },
        ...SENT_RATE_LIMIT_HEADERS,
      },
    },
    { status: 431, description: 'The request headers are over 16 KiB' },
  ];
  // An admitted key's refusal (400, 404, 409…) carries its rate limit too; every answer its request id.
  return responses
    .filter((response): response is ErrorResponse => response !== false)
    .map((response) => ({
      ...response,
      headers: { ...REQUEST_ID_HEADER, ...(response.status === 401 ? {} : RATE_LIMIT_HEADERS), ...response.headers },
    }));
}
