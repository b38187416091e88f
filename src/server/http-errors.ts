// Every error leaves the server as `{ "error": { "code", "message" } }` with a fitting status.
import type { ErrorCode } from '../shared/errors';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  account_inactive: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  keychain_unavailable: 503,
  untrusted_sender: 403,
};

export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });
