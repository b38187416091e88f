import type { ErrorInfo } from './errors';

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (error: ErrorInfo): Result<never> => ({ ok: false, error });
