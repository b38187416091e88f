// The change feed's side of the engine: a sync reads what changed in an account's tree since its
// last sync token (or every key without one), a page at a time, in the order the changes were
// made; and deletions older than the horizon are forgotten. Tokens and cursors are opaque to the
// client: base64url JSON of the account and a store position (see ChangesStore).

import { type KeyChanges, listChangesSchema } from '../shared/changes';
import type { Account, ApiKey } from '../shared/domain';
import { AppError } from '../shared/errors';
import { columnsOfKeys } from '../shared/key-columns';
import { DAY_MS } from '../shared/utc-time';
import { parseOrThrow } from '../shared/validation';
import { decodeOpaque, encodeOpaque } from './opaque';
import type { AccountRow, ChangePosition, ChangesQuery, KeySeen, PlatformStore } from './store/port';

/** How often the tombstones are pruned while nothing is left to prune. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Where a sync's walk is: what it reads and where its last page ended; `mark` becomes its token. */
interface Walk extends Omit<ChangesQuery, 'limit'> {
  mark: ChangePosition;
}

const encode = encodeOpaque;

function decode(field: string, text: string): Record<string, unknown> {
  const value = decodeOpaque(text);
  if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
  throw new AppError(
    'invalid_request',
    `${field}: is not a ${field === 'since' ? 'sync token' : 'cursor'} this platform issued`,
  );
}

const isPosition = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A sync token's position: the token is the account whose tree it covers and where it was read up to. */
function decodeToken(text: string, accountId: string): ChangePosition {
  const { a, p } = decode('since', text);
  if (typeof a !== 'string' || !isPosition(p))
    throw new AppError('invalid_request', 'since: is not a sync token this platform issued');
  if (a !== accountId)
    throw new AppError(
      'invalid_request',
      'since: is the sync token of another account; sync that account, or start again without it',
    );
  return p;
}

function decodeWalk(text: string, accountId: string): Walk {
  const { r, s, d, m, p, i } = decode('cursor', text);
  const valid =
    r === accountId &&
    (s === null || isPosition(s)) &&
    isPosition(d) &&
    isPosition(m) &&
    isPosition(p) &&
    typeof i === 'string';
  if (!valid) throw new AppError('invalid_request', 'cursor: is not a cursor this platform issued for this account');
  return {
    rootId: r,
    since: s as number | null,
    deletedSince: d as number,
    mark: m as number,
    after: { position: p as number, id: i as string },
  };
}

export interface FeedReaders {
  toKey(row: KeySeen, now: number): ApiKey;
  toAccount(row: AccountRow): Account;
  /** The tree, parents first. */
  tree(rows: AccountRow[], rootId: string): AccountRow[];
}

export class ChangeFeed {
  private nextPruneAt = 0;

  constructor(
    private readonly store: PlatformStore,
    private readonly tombstoneDays: number,
    private readonly readers: FeedReaders,
  ) {}

  /** One page of a sync of `accountId`'s tree (the account is known to exist and be reachable). */
  async page(accountId: string, input: unknown, now: number): Promise<KeyChanges> {
    const query = parseOrThrow(listChangesSchema, input);
    const walk = query.cursor ? decodeWalk(query.cursor, accountId) : await this.start(accountId, query.since);
    const changes = await this.store.changes.keys({ ...walk, limit: query.limit + 1 });
    const more = changes.length > query.limit;
    if (more) changes.length = query.limit;
    const first = walk.after === null;
    const last = changes.at(-1);
    const keys: ApiKey[] = [];
    const deleted: string[] = [];
    for (const change of changes) {
      if (change.row) keys.push(this.readers.toKey(change.row, now));
      else deleted.push(change.id);
    }
    return {
      full: walk.since === null,
      accounts: first ? await this.accounts(walk) : [],
      keys: columnsOfKeys(keys),
      deleted_key_ids: deleted,
      total: first ? await this.store.changes.count(walk) : null,
      next_cursor:
        more && last
          ? encode({ r: walk.rootId, s: walk.since, d: walk.deletedSince, m: walk.mark, p: last.position, i: last.id })
          : null,
      sync_token: more ? null : encode({ a: walk.rootId, p: walk.mark }),
    };
  }

  /** A new walk: from the token's position, or (none) every key and the deletions made while it runs. */
  private async start(accountId: string, since: string | undefined): Promise<Walk> {
    const mark = await this.store.changes.mark();
    if (since === undefined) return { rootId: accountId, since: null, deletedSince: mark, mark, after: null };
    const position = decodeToken(since, accountId);
    if (position < (await this.store.changes.horizon()) || position > mark) {
      throw new AppError(
        'sync_token_expired',
        `since: the platform no longer holds every change after this token (it keeps deletions ${this.tombstoneDays} days), or it is from another database: sync again without it`,
      );
    }
    return { rootId: accountId, since: position, deletedSince: position, mark, after: null };
  }

  private async accounts(walk: Walk): Promise<Account[]> {
    const rows = await this.store.changes.accounts(walk.rootId, walk.since);
    const ordered =
      walk.since === null
        ? this.readers.tree(rows, walk.rootId)
        : rows.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    return ordered.map(this.readers.toAccount);
  }

  /** Forgets deletions past the horizon: a step at a time while there are some, else once an hour. */
  async prune(now: number): Promise<void> {
    if (now < this.nextPruneAt) return;
    const pruned = await this.store.transaction((tx) => tx.changes.prune(now - this.tombstoneDays * DAY_MS));
    this.nextPruneAt = pruned > 0 ? 0 : now + PRUNE_EVERY_MS;
  }
}
