// What each error code means and what to do about it: served at GET /v1/errors (so an error's
// `doc_url` leads somewhere on every deployment), and the title of an RFC 9457 problem answer.
import type { ErrorBody } from './http-errors';
import type { SERVER_ERROR_CODES } from './responses';

type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

export interface ErrorDoc {
  status: number;
  title: string;
  help: string;
}

export const ERROR_DOCS: Record<ServerErrorCode, ErrorDoc> = {
  invalid_request: {
    status: 400,
    title: 'The request is not valid',
    help: 'Fix the field `param` names (every field at fault is in `errors`) and send it again.',
  },
  unauthorized: {
    status: 401,
    title: 'No usable API key',
    help: 'Send `Authorization: Bearer <key>` with a key that exists, is active and has not expired.',
  },
  forbidden: {
    status: 403,
    title: 'The key cannot reach this account',
    help: 'A key reaches its own account and the subaccounts below it: use a key of this account or above it.',
  },
  account_inactive: {
    status: 403,
    title: 'The account is inactive',
    help: 'An admin of the account or its parent can activate it again; its keys answer again then.',
  },
  not_found: {
    status: 404,
    title: 'Not found',
    help: 'No such resource in this account (or no such route): check the ids and the path.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Not a method this path answers',
    help: 'Use one of the methods in the `Allow` header.',
  },
  conflict: {
    status: 409,
    title: 'The request conflicts with the resource’s state',
    help: 'Read the resource again and decide from its state now (the message says what conflicts).',
  },
  idempotency_conflict: {
    status: 409,
    title: 'The Idempotency-Key is busy or not yours',
    help:
      'Another caller sent this key, or its first request is still running: wait a moment and send it again, ' +
      'or use a key of your own (a new UUID per request).',
  },
  idempotency_mismatch: {
    status: 422,
    title: 'The Idempotency-Key was used for another request',
    help: 'A key stands for one request (method, path and body) for 24 hours: use a new key for a new request.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    help: 'Wait the seconds in `Retry-After`; the `RateLimit` header says how many requests are left.',
  },
  sync_token_expired: {
    status: 410,
    title: 'The sync token is too old',
    help:
      'The platform keeps deleted keys for 30 days (`keyhold serve --tombstone-days`), and this token is older ' +
      'than what it kept, or from another database: sync again without `since`, and replace what you hold.',
  },
  precondition_failed: {
    status: 412,
    title: 'The resource changed since its ETag was read',
    help:
      'Someone changed it after you read it (`If-Match` named an older version): read it again, decide from what ' +
      'it holds now, and send the change with the new `ETag`.',
  },
  internal: {
    status: 500,
    title: 'The server failed',
    help: 'Try again; if it goes on, give the platform’s admin the `request_id`.',
  },
};

/** Where an error code is explained: on the server itself, so the link works wherever it runs. */
export const docUrlOf = (code: string): string => `/v1/errors#${code}`;

/** An error body in RFC 9457's form (`application/problem+json`), with the API's own fields kept. */
export function problemOf(body: ErrorBody, status: number): Record<string, unknown> {
  const { code, message, ...rest } = body.error;
  return {
    type: docUrlOf(code),
    title: ERROR_DOCS[code as ServerErrorCode]?.title ?? code,
    status,
    detail: message,
    code,
    ...rest,
  };
}
