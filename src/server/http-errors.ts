// Every error leaves the server as `{ "error": { "code", "message", "param"?, "errors"?,
// "request_id" } }` with a fitting status.
import type { ErrorCode, FieldIssue } from '../shared/errors';
import { docUrlOf } from './error-docs';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  account_inactive: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  idempotency_mismatch: 422,
  rate_limited: 429,
  sync_token_expired: 410,
  precondition_failed: 412,
  internal: 500,
  unavailable: 503,
  keychain_unavailable: 503,
  untrusted_sender: 403,
};

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** The field at fault (the first, when several are). */
    param?: string;
    /** Every field at fault, when more than one is. */
    errors?: FieldIssue[];
    /** The request's id, as in its Request-Id header and the server's logs. */
    request_id: string;
    /** Where the code is explained (GET /v1/errors). */
    doc_url: string;
  };
}

export function errorBody(code: string, message: string, requestId: string, issues: FieldIssue[] = []): ErrorBody {
  const [first] = issues;
  return {
    error: {
      code,
      message,
      ...(first ? { param: first.param } : {}),
      ...(issues.length > 1 ? { errors: issues } : {}),
      request_id: requestId,
      doc_url: docUrlOf(code),
    },
  };
}
