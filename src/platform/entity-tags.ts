// Entity tags (RFC 9110 8.8.3) for conditional requests. A GET's tag names the exact bytes it
// answered, so If-None-Match can answer 304. A key's or an account's tag also carries, before the
// dot, the version of what an edit can change: If-Match compares that part only, so a key in use
// (its last use moving every second) can still be edited under If-Match, while two admins editing
// it at once cannot both win.
import { createHash } from 'node:crypto';
import type { Account, ApiKey } from '../shared/domain';
import { AppError } from '../shared/errors';

const digest = (text: string | Buffer): string => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** The version of a key: every field an edit, a revocation or the clock (expiry) can change; not its use. */
export function keyVersion(key: ApiKey): string {
  const { id, account_id, label, status, updated_at, expires_at, revoked_at, deletes_at } = key;
  return digest(JSON.stringify(['key', id, account_id, label, status, updated_at, expires_at, revoked_at, deletes_at]));
}

export function accountVersion(account: Account): string {
  const { id, name, parent_id, status, updated_at } = account;
  return digest(JSON.stringify(['account', id, name, parent_id, status, updated_at]));
}

/** The ETag of an answer: `"<version>.<bytes>"` for a key or an account, `"<bytes>"` otherwise. */
export function entityTag(body: string | Buffer, version?: string): string {
  return `"${version ? `${version}.` : ''}${digest(body)}"`;
}

type TagList = { any: true } | { any: false; tags: { weak: boolean; opaque: string }[] };

const TAG = /^(W\/)?"([\x21\x23-\x7e]*)"$/;

/** An If-Match or If-None-Match value: `*` or a comma-separated list of tags; anything else is refused by name. */
export function parseTagList(header: string, field: 'If-Match' | 'If-None-Match'): TagList {
  if (header.trim() === '*') return { any: true };
  const tags = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = TAG.exec(part);
      if (!match) {
        throw new AppError('invalid_request', `${field}: give "*" or entity tags in double quotes, as ETag sends them`);
      }
      return { weak: match[1] !== undefined, opaque: match[2] as string };
    });
  if (tags.length === 0) throw new AppError('invalid_request', `${field}: give "*" or at least one entity tag`);
  return { any: false, tags };
}

/** If-None-Match on a GET: weak comparison against the answer's whole tag. */
export function noneMatch(header: string, etag: string): boolean {
  const list = parseTagList(header, 'If-None-Match');
  return list.any || list.tags.some((tag) => `"${tag.opaque}"` === etag);
}

/**
 * If-Match on a write, checked inside the write's transaction: a strong tag whose version part is
 * the resource's version now. A weak tag never matches (RFC 9110 13.1.1).
 */
export function assertMatches(header: string | undefined, version: string, what: string): void {
  if (header === undefined) return;
  const list = parseTagList(header, 'If-Match');
  if (list.any) return;
  const matched = list.tags.some((tag) => !tag.weak && tag.opaque.split('.')[0] === version);
  if (!matched) {
    const message = `the ${what} changed since that ETag was read; read it again and decide from what it holds now`;
    throw new AppError('precondition_failed', `If-Match: ${message}`, [{ param: 'If-Match', message }]);
  }
}
