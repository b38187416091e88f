// One page of a list read by keyset (subaccounts, agents, a key's events): the rows after the
// cursor's, one more than asked to know whether another page follows, and the next cursor, which
// is the last row's sort values as base64url JSON.
import { AppError } from '../shared/errors';
import { listPageSchema } from '../shared/schemas';
import { parseOrThrow } from '../shared/validation';
import { decodeOpaque, encodeOpaque } from './opaque';
import type { PageAfter } from './store/port';

export interface Page<R> {
  rows: R[];
  next_cursor: string | null;
}

function decode<A>(text: string, valid: (value: unknown) => value is A): A {
  const value = decodeOpaque(text);
  if (!valid(value))
    throw new AppError('invalid_request', 'cursor: is not a cursor this platform issued for this list');
  return value;
}

/**
 * Reads the page `input` asks for (limit, cursor) with `read`; `afterOf` is a row's place in the
 * order, and `valid` tells a cursor's place from anything else.
 */
export async function readPage<R, A>(
  input: unknown,
  read: (page: PageAfter<A>) => Promise<R[]>,
  afterOf: (row: R) => A,
  valid: (value: unknown) => value is A,
): Promise<Page<R>> {
  const { limit, cursor } = parseOrThrow(listPageSchema, input);
  const rows = await read({ after: cursor === undefined ? null : decode(cursor, valid), limit: limit + 1 });
  if (rows.length <= limit) return { rows, next_cursor: null };
  rows.length = limit;
  const last = rows[limit - 1] as R;
  return { rows, next_cursor: encodeOpaque(afterOf(last)) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A place after (name, id): accounts by name. */
export const isNameAndId = (value: unknown): value is { name: string; id: string } =>
  isObject(value) && typeof value.name === 'string' && typeof value.id === 'string';

/** A place after (created_at, id): agents, oldest first. */
export const isTimeAndId = (value: unknown): value is { created_at: number; id: string } =>
  isObject(value) && Number.isSafeInteger(value.created_at) && typeof value.id === 'string';

/** A place after an event id. */
export const isEventId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
