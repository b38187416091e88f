// Answers "may this presented key act on this account?" fast: parsed and checksummed first, then
// looked up in a cache of the key's hash and state (filled from the store on a miss), compared in
// constant time, then checked against the account tree.
//
// The cache is never stale for this engine's own writes: it evicts a key after every write to it.
// A change made by another process moves the store's change token (SQLite's data_version; a
// revision counter on PostgreSQL), which empties the cache. On SQLite reading it costs more than
// the rest of a verification (it opens a read transaction), so it is read at most once per
// `crossProcessCheckMs` of monotonic time: 1 ms there, so another process's revoke is seen by any
// verification that starts 1 ms after it. On PostgreSQL every verification asks (0 ms), and the
// store answers concurrent ones with one query sent after all of them began.
import { hash } from 'node:crypto';
import { type MonotonicNow, systemMonotonicNow } from '../shared/clock';
import { DOT_AT, hasKeyShape, hasValidChecksum, KEY_PREFIX, partialKeyOf, publicIdOf } from '../shared/key-format';
import { isExpiredAt } from '../shared/key-status';
import { constantTimeEqual, KeyCache } from './key-cache';
import type { AccountRow, KeyRow, PlatformStore } from './store/port';
import { newPendingUse, type PendingUse, type UsageTracker } from './usage-tracker';

export type VerifyFailure = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'forbidden' | 'account_inactive';

export interface VerifiedKey {
  id: string;
  account_id: string;
  partial_key: string;
}

/**
 * A failure names the key when its public id is known and its checksum holds (`unknown` with a
 * key id: a wrong secret), for the request log only: callers answer every `unknown` alike.
 */
export type VerifyResult =
  | { ok: true; key: VerifiedKey; account_id: string }
  | { ok: false; reason: VerifyFailure; keyId?: string };

interface CachedKey {
  key: VerifiedKey;
  revoked: boolean;
  expiresAt: number | null;
  use: PendingUse;
  /** A public id that does not exist: its hash is a decoy of its own that no key can match. */
  unknown: boolean;
  /** Whether the key may act on its own account, worked out at `reachEpoch` (the tree is the same while the epoch is). */
  ownReach: Reach;
  reachEpoch: number;
}

type Reach = 'ok' | 'forbidden' | 'account_inactive';

/** check()'s slot when the cache may have changed since verify() looked. */
const LOOK_AGAIN = -2;

/** What an unknown id's presented key is compared against, so both failures compare a hash. */
const DECOY_HASH = hash('sha256', 'keyhold decoy', 'buffer');

const unknownEntry = (): CachedKey => ({
  key: { id: '', account_id: '', partial_key: '' },
  revoked: false,
  expiresAt: null,
  use: newPendingUse(''),
  unknown: true,
  ownReach: 'forbidden',
  reachEpoch: -1,
});

// crypto.hash: the one-shot form, without a Hash object per call (about a third faster for a key).
export const hashKey = (key: string): Buffer => hash('sha256', key, 'buffer');

/** Public ids known not to exist, remembered so an unknown id costs what a known one does. */
const MAX_UNKNOWN_IDS = 65_536;

type AccountTree = Map<string, Pick<AccountRow, 'parent_id' | 'status'>>;

export interface VerifierOptions {
  maxCachedKeys?: number | undefined;
  crossProcessCheckMs?: number | undefined;
  monotonicNow?: MonotonicNow | undefined;
}

export class Verifier {
  /** Keys by public id, and public ids known not to exist (entries marked unknown). */
  private readonly cache: KeyCache<CachedKey>;
  private unknownCount = 0;
  private accounts: AccountTree | null = null;
  /** Moves on every eviction: a row read before one may be stale, and is not cached. */
  private epoch = 0;
  private readonly changeToken: () => number | string | Promise<number | string>;
  /** undefined until the first check: the cache starts empty, so the first token seen clears nothing. */
  private lastToken: number | string | undefined;
  private nextTokenCheck = 0;
  /** When the newest change token seen was asked for (monotonic ms): it was read after that. */
  private lastAskedAt = Number.NEGATIVE_INFINITY;
  private readonly maxCachedKeys: number;
  private readonly crossProcessCheckMs: number;
  private readonly monotonicNow: MonotonicNow;

  constructor(
    private readonly store: PlatformStore,
    /** Where successful verifications are counted; null when usage tracking is off. */
    private readonly usage: UsageTracker | null,
    options: VerifierOptions = {},
  ) {
    this.maxCachedKeys = options.maxCachedKeys ?? 200_000;
    this.crossProcessCheckMs = options.crossProcessCheckMs ?? 1;
    this.monotonicNow = options.monotonicNow ?? systemMonotonicNow;
    // SQLite's token is read synchronously: no promise on the hot path.
    this.changeToken = () => store.changeTokenNow();
    this.cache = new KeyCache(this.maxCachedKeys, (evicted) => {
      if (evicted.unknown) this.unknownCount--;
    });
  }

  /**
   * `record`: count a successful check as a use now (the server counts after its rate limit
   * instead). `since`: the monotonic time the caller's request began; a change token asked for
   * after it is fresh enough (a request that verifies two keys asks once). `provisional`: answer
   * from the cache without asking; the caller confirms with tokenSeen before trusting it
   * (authenticate.ts does).
   */
  verify(
    presented: string,
    targetAccountId: string | null,
    now: number,
    record = true,
    since?: number,
    provisional = false,
  ): VerifyResult | Promise<VerifyResult> {
    if (!hasKeyShape(presented)) return { ok: false, reason: 'malformed' };
    // A key the cache holds is judged by its hash (one that matches is that key, checksum and all);
    // any other must pass the checksum before anything reads the store for it.
    const slot = this.cache.find(presented, KEY_PREFIX.length);
    if (slot < 0 && !hasValidChecksum(presented)) return { ok: false, reason: 'malformed' };
    const fresh = provisional || (since !== undefined && this.lastAskedAt >= since);
    if (!fresh && this.tokenDue()) {
      // The token may empty the cache (and other verifications may fill it while it is awaited).
      const askedAt = this.monotonicNow();
      const token = this.changeToken();
      if (typeof token === 'object') {
        return token.then((value) => {
          this.tokenSeen(value, askedAt);
          return this.check(presented, LOOK_AGAIN, targetAccountId, now, record);
        });
      }
      this.tokenSeen(token, askedAt);
      return this.check(presented, LOOK_AGAIN, targetAccountId, now, record);
    }
    return this.check(presented, slot, targetAccountId, now, record);
  }

  // The rest of a verification, in steps that each may have to read the store first. Synchronous
  // when the key and the account tree are cached: the hot path allocates no promise (nor an object
  // to carry its arguments).

  private check(
    presented: string,
    foundAt: number,
    target: string | null,
    now: number,
    record: boolean,
  ): VerifyResult | Promise<VerifyResult> {
    const slot = foundAt === LOOK_AGAIN ? this.cache.find(presented, KEY_PREFIX.length) : foundAt;
    if (slot < 0) {
      if (!hasValidChecksum(presented)) return { ok: false, reason: 'malformed' }; // the cache was emptied since verify looked
      return this.load(presented.slice(KEY_PREFIX.length, DOT_AT)).then(({ entry, hash }) =>
        this.judge(presented, entry, constantTimeEqual(hashKey(presented), hash), target, now, record),
      );
    }
    const matches = this.cache.hashEquals(slot, hashKey(presented));
    return this.judge(presented, this.cache.entryAt(slot), matches, target, now, record);
  }

  private judge(
    presented: string,
    cached: CachedKey,
    matches: boolean,
    target: string | null,
    now: number,
    record: boolean,
  ): VerifyResult | Promise<VerifyResult> {
    // Both failures check the checksum, so they cost the same.
    if (!matches || cached.unknown) {
      if (!hasValidChecksum(presented)) return { ok: false, reason: 'malformed' };
      // The same shape for an unknown id and a wrong secret (undefined or the id): same work.
      return { ok: false, reason: 'unknown', keyId: cached.unknown ? undefined : cached.key.id };
    }
    // Only a caller who holds the real secret learns the key's state.
    if (cached.revoked) return { ok: false, reason: 'revoked', keyId: cached.key.id };
    if (isExpiredAt(cached.expiresAt, now)) return { ok: false, reason: 'expired', keyId: cached.key.id };
    if (!this.accounts) return this.accountTree().then((tree) => this.checkReach(cached, tree, target, now, record));
    return this.checkReach(cached, this.accounts, target, now, record);
  }

  private checkReach(
    cached: CachedKey,
    accounts: AccountTree,
    targetAccountId: string | null,
    now: number,
    record: boolean,
  ): VerifyResult {
    const own = cached.key.account_id;
    const target = targetAccountId ?? own;
    let reach: Reach;
    if (target !== own) reach = reachOf(accounts, own, target);
    else if (cached.reachEpoch === this.epoch)
      reach = cached.ownReach; // most requests act on the key's own account
    else {
      reach = reachOf(accounts, own, own);
      if (accounts === this.accounts) {
        cached.ownReach = reach;
        cached.reachEpoch = this.epoch;
      }
    }
    if (reach !== 'ok') return { ok: false, reason: reach, keyId: cached.key.id };
    if (record) this.usage?.record(cached.use, now);
    return { ok: true, key: cached.key, account_id: target };
  }

  /** True when `ancestorId` is `accountId` or above it, whatever either's status. */
  reaches(ancestorId: string, accountId: string): boolean | Promise<boolean> {
    if (!this.accounts) return this.accountTree().then((tree) => isAtOrAbove(tree, ancestorId, accountId));
    return isAtOrAbove(this.accounts, ancestorId, accountId);
  }

  /** Counts a call by a verified key: served, or refused by a rate limit (not a use). */
  recordCall(key: VerifiedKey, limited: boolean, now: number): void {
    if (!this.usage) return;
    // A key let go of since it was verified gets a record of its own: every call is counted.
    const use = this.cached(publicIdOf(key.partial_key))?.use ?? newPendingUse(key.id);
    if (limited) this.usage.recordLimited(use, now);
    else this.usage.record(use, now);
  }

  /** Forget one key (after the engine created, changed or deleted it). */
  evictKey(publicId: string): void {
    this.epoch++;
    this.forget(publicId);
  }

  /** Forget the account tree (after the engine changed an account). */
  evictAccounts(): void {
    this.epoch++;
    this.accounts = null;
  }

  clear(): void {
    this.epoch++;
    this.cache.clear();
    this.unknownCount = 0;
    this.accounts = null;
  }

  private tokenDue(): boolean {
    if (this.crossProcessCheckMs <= 0) return true;
    const tick = this.monotonicNow();
    if (tick < this.nextTokenCheck) return false;
    this.nextTokenCheck = tick + this.crossProcessCheckMs;
    return true;
  }

  /** The change token the cache was last confirmed against: what a provisional answer rests on. */
  get basis(): number | string | undefined {
    return this.lastToken;
  }

  /**
   * A change token read after `askedAt` (monotonic ms), by this verifier or by a caller that read
   * it along with something else: a new one empties the cache.
   */
  tokenSeen(token: number | string, askedAt: number): void {
    if (token !== this.lastToken) {
      if (this.lastToken !== undefined) this.clear();
      this.lastToken = token;
    }
    // Tokens settle in the order they were asked for: this one is the newest seen.
    this.lastAskedAt = Math.max(this.lastAskedAt, askedAt);
  }

  /**
   * The key and the hash to compare with, read from the store on a cache miss. An unknown id is
   * remembered like a known one, so "no such id" and "wrong secret" do the same work: timing tells
   * nobody which public ids exist. Unknown ids are bounded so a flood of made-up ones cannot push
   * every real key out of the cache. A row read while the engine evicted something is used once
   * but not cached: it may be older than the eviction.
   */
  private async load(publicId: string): Promise<{ entry: CachedKey; hash: Buffer }> {
    const epoch = this.epoch;
    const row = await this.store.keys.getByPublicId(publicId);
    const entry = this.fromRow(row) ?? unknownEntry();
    const expected = row?.secret_hash ?? DECOY_HASH;
    const cacheable = epoch === this.epoch && this.cache.find(publicId) < 0;
    if (cacheable && (!entry.unknown || this.unknownCount < MAX_UNKNOWN_IDS)) {
      this.cache.add(publicId, expected, entry);
      if (entry.unknown && this.maxCachedKeys > 0) this.unknownCount++;
    }
    return { entry, hash: expected };
  }

  private cached(publicId: string): CachedKey | undefined {
    const slot = this.cache.find(publicId);
    return slot >= 0 ? this.cache.entryAt(slot) : undefined;
  }

  private forget(publicId: string): void {
    if (this.cache.delete(publicId)?.unknown) this.unknownCount--;
  }

  private fromRow(row: KeyRow | undefined): CachedKey | undefined {
    if (!row) return undefined;
    return {
      key: { id: row.id, account_id: row.account_id, partial_key: partialKeyOf(row.public_id) },
      revoked: row.status === 'revoked',
      expiresAt: row.expires_at,
      use: newPendingUse(row.id),
      unknown: false, // every entry has the same shape, so the hot path stays monomorphic
      ownReach: 'forbidden',
      reachEpoch: -1,
    };
  }

  private async accountTree(): Promise<AccountTree> {
    const epoch = this.epoch;
    const rows = await this.store.accounts.list();
    const tree: AccountTree = new Map(rows.map((row) => [row.id, { parent_id: row.parent_id, status: row.status }]));
    if (epoch === this.epoch) this.accounts = tree;
    return tree;
  }
}

function isAtOrAbove(accounts: AccountTree, ancestorId: string, accountId: string): boolean {
  for (let id: string | null = accountId; id !== null; id = accounts.get(id)?.parent_id ?? null) {
    if (id === ancestorId) return true;
  }
  return false;
}

/** The key's account must be the target or one of its ancestors, and every account on the way active. */
function reachOf(accounts: AccountTree, keyAccountId: string, targetId: string): Reach {
  let inactive = false;
  let reached = false;
  for (let id: string | null = targetId; id !== null; ) {
    const account = accounts.get(id);
    if (!account) return 'forbidden';
    if (account.status === 'inactive') inactive = true;
    if (id === keyAccountId) reached = true;
    id = account.parent_id;
  }
  if (!reached) return 'forbidden';
  return inactive ? 'account_inactive' : 'ok';
}
