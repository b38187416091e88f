// Errors that cross IPC and HTTP as plain `{ code, message }` objects, never as thrown values.

export const ERROR_CODES = [
  'invalid_request', // bad input; the message names the field
  'not_found',
  'conflict',
  'idempotency_conflict', // an Idempotency-Key another caller used, or whose first request still runs
  'idempotency_mismatch', // an Idempotency-Key sent again with another request
  'unauthorized',
  'forbidden',
  'account_inactive',
  'rate_limited',
  'precondition_failed', // If-Match named a version the resource no longer has
  'sync_token_expired', // a sync token older than the deletions the platform keeps: sync again without it
  'unavailable', // the platform or a remote connection cannot be reached
  'keychain_unavailable',
  'untrusted_sender',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** One thing wrong with a request: the field (`label`, `rotationDays.production`) and what. */
export interface FieldIssue {
  param: string;
  message: string;
}

/** A message that starts with its field (`label: must not be empty`, the project's rule): that field. */
const FIELD_FIRST = /^([A-Za-z_][\w.-]*): /;

/** An expected failure with a message fit to show a person. Never put a secret in it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** The fields at fault, when the failure is about some: given, or read from the message. */
  readonly issues: FieldIssue[];
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    const field = FIELD_FIRST.exec(message)?.[1];
    this.issues =
      issues ??
      (code === 'invalid_request' && field ? [{ param: field, message: message.slice(field.length + 2) }] : []);
  }

  toJSON(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}
