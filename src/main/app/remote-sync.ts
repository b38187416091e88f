// A remote connection's sync: the platform's change feed into the app's cache. The first sync (or
// one whose token the platform no longer answers) reads every key, page by page, staging each page
// while the next one downloads; later syncs read only what changed. The cache takes the result
// only once the last page is in (sync-cache.ts).
import type { Account, ApiKey } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { type KeyColumns, keysOfColumns } from '../../shared/key-columns';
import type { KeyPlatform } from '../../shared/key-platform';
import { accountTree, allKeys, changePages } from '../../shared/platform-reads';
import type { SyncCache } from '../store/sync-cache';

export interface SyncPage {
  /** Keys and deletions read so far, and (from the first page) how many the sync holds. */
  loaded: number;
  total: number | null;
  /** A full sync's page and its deletions, for the window to show as it lands. */
  keys: KeyColumns | null;
  removed: string[];
}

export interface SyncResult {
  /** Every key was read again: the cache was replaced. */
  full: boolean;
  /** An incremental sync's changes (empty after a full one). */
  keys: ApiKey[];
  removed: string[];
}

/** One sync: of which connection and account tree, into which cache, as of when, told of each page. */
export interface SyncJob {
  platform: KeyPlatform;
  connectionId: string;
  accountId: string;
  cache: SyncCache;
  syncedAt: number;
  onPage: (page: SyncPage) => void;
}

export async function syncRemote(job: SyncJob): Promise<SyncResult> {
  const token = job.cache.token(job.connectionId);
  try {
    return await readFeed(job, token);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // The platform keeps deletions only so long: start again from nothing.
    if (token !== null && error.code === 'sync_token_expired') return readFeed(job, null);
    // A platform from before the change feed: every key, the old way.
    if (token === null && error.code === 'not_found' && /^No route /.test(error.message)) return readWhole(job);
    throw error;
  }
}

async function readFeed(
  { platform, connectionId, accountId, cache, syncedAt, onPage }: SyncJob,
  since: string | null,
): Promise<SyncResult> {
  const full = since === null;
  if (full) cache.startFull(connectionId);
  const changed = new Map<string, ApiKey>();
  const removed = new Set<string>();
  let accounts: Account[] = [];
  let total: number | null = null;
  let loaded = 0;
  for await (const page of changePages(platform, accountId, since)) {
    if (total === null) {
      total = page.total;
      accounts = page.accounts;
    }
    const keys = keysOfColumns(page.keys);
    loaded += keys.length + page.deleted_key_ids.length;
    if (full) cache.stage(connectionId, keys, page.deleted_key_ids);
    else {
      for (const key of keys) {
        changed.set(key.id, key);
        removed.delete(key.id);
      }
      for (const keyId of page.deleted_key_ids) {
        changed.delete(keyId);
        removed.add(keyId);
      }
    }
    onPage({ loaded, total, keys: full ? page.keys : null, removed: full ? page.deleted_key_ids : [] });
    if (!page.next_cursor) {
      const token = page.sync_token as string;
      if (full) cache.finishFull(connectionId, accounts, token, syncedAt);
      else cache.apply(connectionId, accounts, [...changed.values()], [...removed], token, syncedAt);
      return { full, keys: [...changed.values()], removed: [...removed] };
    }
  }
  throw new Error('the change feed ended without a last page');
}

/** Every key through the key list, for a platform without the change feed (no token: the next sync does the same). */
async function readWhole({ platform, connectionId, accountId, cache, syncedAt, onPage }: SyncJob): Promise<SyncResult> {
  const accounts = await accountTree(platform, accountId);
  const keys = await allKeys(platform, accountId, {}, (soFar, done) =>
    onPage({ loaded: soFar.length, total: done ? soFar.length : null, keys: null, removed: [] }),
  );
  cache.startFull(connectionId);
  cache.stage(connectionId, keys, []);
  cache.finishFull(connectionId, accounts, null, syncedAt);
  return { full: true, keys: [], removed: [] };
}
