import { AppError, ERROR_CODES, type ErrorCode, type FieldIssue } from '../shared/errors';

/** An error answer from a Keyhold platform, or a failure to reach one. */
export class KeyholdApiError extends AppError {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  /** Seconds the server asked us to wait (429, 503). */
  readonly retryAfter: number | null;
  /** The server's id for the request (quote it when asking about the failure); null without an answer. */
  readonly requestId: string | null;

  constructor(
    code: ErrorCode,
    message: string,
    status: number,
    retryAfter: number | null = null,
    details: { requestId?: string | null; issues?: FieldIssue[] } = {},
  ) {
    super(code, message, details.issues);
    this.name = 'KeyholdApiError';
    this.status = status;
    this.retryAfter = retryAfter;
    this.requestId = details.requestId ?? null;
  }

  /** The field at fault, as the server named it. */
  get param(): string | null {
    return this.issues[0]?.param ?? null;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'sync_token_expired',
  412: 'precondition_failed',
  429: 'rate_limited',
};

export function errorFromResponse(
  status: number,
  body: unknown,
  retryAfter: number | null,
  headerRequestId: string | null = null,
): KeyholdApiError {
  const error = (
    body as {
      error?: { code?: unknown; message?: unknown; param?: unknown; errors?: unknown; request_id?: unknown };
    } | null
  )?.error;
  const code =
    typeof error?.code === 'string' && (ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ErrorCode)
      : (CODE_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'internal'));
  const message = typeof error?.message === 'string' ? error.message : `The platform answered HTTP ${status}.`;
  const requestId = typeof error?.request_id === 'string' ? error.request_id : headerRequestId;
  const listed = Array.isArray(error?.errors)
    ? (error.errors as unknown[]).filter(
        (issue): issue is FieldIssue =>
          typeof (issue as FieldIssue)?.param === 'string' && typeof (issue as FieldIssue)?.message === 'string',
      )
    : [];
  const issues =
    listed.length > 0
      ? listed
      : typeof error?.param === 'string'
        ? [{ param: error.param, message: message.replace(`${error.param}: `, '') }]
        : undefined;
  return new KeyholdApiError(code, message, status, retryAfter, { requestId, issues });
}

/** Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}
