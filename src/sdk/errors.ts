import { AppError, ERROR_CODES, type ErrorCode } from '../shared/errors';

/** An error answer from a Keyhold platform, or a failure to reach one. */
export class KeyholdApiError extends AppError {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  /** Seconds the server asked us to wait (429, 503). */
  readonly retryAfter: number | null;

  constructor(code: ErrorCode, message: string, status: number, retryAfter: number | null = null) {
    super(code, message);
    this.name = 'KeyholdApiError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
};

export function errorFromResponse(status: number, body: unknown, retryAfter: number | null): KeyholdApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code =
    typeof error?.code === 'string' && (ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ErrorCode)
      : (CODE_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'internal'));
  const message = typeof error?.message === 'string' ? error.message : `The platform answered HTTP ${status}.`;
  return new KeyholdApiError(code, message, status, retryAfter);
}

/** Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}
