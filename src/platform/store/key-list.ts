// What both stores' key lists share: the cursor (keyset pagination on the sort value and the id)
// and how a search text is read.
import { AppError } from '../../shared/errors';
import type { KeySort, ListKeysQuery } from '../../shared/schemas';

export interface Cursor {
  sort: KeySort;
  order: 'asc' | 'desc';
  value: number | string;
  id: string;
}

export const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodeCursor(text: string, query: ListKeysQuery): Cursor {
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new AppError('invalid_request', 'cursor: is not a cursor this platform issued');
  }
  if (typeof cursor?.id !== 'string' || !['number', 'string'].includes(typeof cursor.value)) {
    throw new AppError('invalid_request', 'cursor: is not a cursor this platform issued');
  }
  if (cursor.sort !== query.sort || cursor.order !== query.order) {
    throw new AppError('invalid_request', 'cursor: belongs to another sort or order; start again without it');
  }
  return cursor;
}

/** A LIKE pattern matching the text anywhere, `\` escaping LIKE's own characters. */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** "sk-1a2b", "1a2b" or a pasted full key all find by public id; only the public part is used. */
export const publicPartOf = (q: string): string | undefined =>
  /^(?:sk-)?([0-9a-f]{1,8})(?:\.|$)/i.exec(q)?.[1]?.toLowerCase();
