// Errors that cross IPC and HTTP as plain `{ code, message }` objects, never as thrown values.

export const ERROR_CODES = [
  'invalid_request', // bad input; the message names the field
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'account_inactive',
  'rate_limited',
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

/** An expected failure with a message fit to show a person. Never put a secret in it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }

  toJSON(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}
