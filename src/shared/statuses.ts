// The platform's status names, apart from its zod schemas (domain.ts): the window's first screen
// needs these values, and importing domain.ts would build every schema before it can start.

export const ACCOUNT_STATUSES = ['active', 'inactive'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Stored state is active or revoked; expired is derived from the clock when read. */
export const KEY_STATUSES = ['active', 'revoked', 'expired'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
