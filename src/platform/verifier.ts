// Answers "may this presented key act on this account?" fast: parsed and checksummed first, then
// looked up in a cache of the key's hash and state (filled from SQLite on a miss), compared in
// constant time, then checked against the account tree.
//
// The cache is never stale for this engine's own writes: it evicts a key on every write to it.
// A change made by another process on the same file moves SQLite's data_version, which empties
// the cache. Reading data_version costs more than the rest of a verification (it opens a read
// transaction), so it is read at most once per `crossProcessCheckMs` of monotonic time: 1 ms by
// default, so another process's revoke is seen by any verification that starts 1 ms after it.
import { hash, timingSafeEqual } from 'node:crypto';
import { type MonotonicNow, systemMonotonicNow } from '../shared/clock';
import { parseKey } from '../shared/key-format';
import { KeyCache } from './key-cache';
import type { AccountRow, AccountsRepo } from './store/accounts-repo';
import type { Db } from './store/database';
import type { KeyRow, KeysRepo } from './store/keys-repo';
import { newPendingUse, type PendingUse, type UsageTracker } from './usage-tracker';

export type VerifyFailure = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'forbidden' | 'account_inactive';

export interface VerifiedKey {
  id: string;
  account_id: string;
  partial_key: string;
}

export type VerifyResult = { ok: true; key: VerifiedKey; account_id: string } | { ok: false; reason: VerifyFailure };

interface CachedKey {
  key: VerifiedKey;
  revoked: boolean;
  expiresAt: number | null;
  use: PendingUse;
  /** A public id that does not exist: its hash is a decoy of its own that no key can match. */
  unknown: boolean;
}

/** What an unknown id's presented key is compared against, so both failures compare a hash. */
const DECOY_HASH = hash('sha256', 'keyhold decoy', 'buffer');

const unknownEntry = (): CachedKey => ({
  key: { id: '', account_id: '', partial_key: '' },
  revoked: false,
  expiresAt: null,
  use: newPendingUse(''),
  unknown: true,
});

// crypto.hash: the one-shot form, without a Hash object per call (about a third faster for a key).
export const hashKey = (key: string): Buffer => hash('sha256', key, 'buffer');

/** Public ids known not to exist, remembered so an unknown id costs what a known one does. */
const MAX_UNKNOWN_IDS = 65_536;

export class Verifier {
  /** Keys by public id, and public ids known not to exist (entries marked unknown). */
  private readonly cache: KeyCache<CachedKey>;
  private unknownCount = 0;
  private accounts: Map<string, Pick<AccountRow, 'parent_id' | 'status'>> | null = null;
  private readonly dataVersion;
  /** -1 until the first check: the cache starts empty, so the first version seen clears nothing. */
  private lastDataVersion = -1;
  private nextVersionCheck = 0;

  constructor(
    db: Db,
    private readonly keysRepo: KeysRepo,
    private readonly accountsRepo: AccountsRepo,
    /** Where successful verifications are counted; null when usage tracking is off. */
    private readonly usage: UsageTracker | null,
    private readonly maxCachedKeys = 200_000,
    private readonly crossProcessCheckMs = 1,
    private readonly monotonicNow: MonotonicNow = systemMonotonicNow,
  ) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.cache = new KeyCache(maxCachedKeys, (evicted) => {
      if (evicted.unknown) this.unknownCount--;
    });
  }

  /** `record`: count a successful check as a use now (the server counts after its rate limit instead). */
  verify(presented: string, targetAccountId: string | null, now: number, record = true): VerifyResult {
    const parsed = parseKey(presented);
    if (!parsed) return { ok: false, reason: 'malformed' };
    this.dropIfChangedElsewhere();

    const { entry: cached, hash: expected } = this.lookup(parsed.publicId);
    const matches = timingSafeEqual(hashKey(presented), expected);
    if (!matches || cached.unknown) return { ok: false, reason: 'unknown' };
    // Only a caller who holds the real secret learns the key's state.
    if (cached.revoked) return { ok: false, reason: 'revoked' };
    if (cached.expiresAt !== null && cached.expiresAt <= now) return { ok: false, reason: 'expired' };

    const target = targetAccountId ?? cached.key.account_id;
    const reach = this.reach(cached.key.account_id, target);
    if (reach !== 'ok') return { ok: false, reason: reach };
    if (record) this.usage?.record(cached.use, now);
    return { ok: true, key: cached.key, account_id: target };
  }

  /** Counts a call by a verified key: served, or refused by a rate limit (not a use). */
  recordCall(key: VerifiedKey, limited: boolean, now: number): void {
    const use = this.cached(key.partial_key.slice(3))?.use;
    if (!use || !this.usage) return; // evicted meanwhile: one call uncounted rather than a lookup
    if (limited) this.usage.recordLimited(use, now);
    else this.usage.record(use, now);
  }

  /** The newest use of a cached key not yet on disk, so reads never look older than the truth. */
  pendingLastUsed(publicId: string): number | undefined {
    const use = this.cached(publicId)?.use;
    return use?.queued ? use.lastUsedAt : undefined;
  }

  /** Forget one key (after the engine created, changed or deleted it). */
  evictKey(publicId: string): void {
    this.forget(publicId);
  }

  /** Forget the account tree (after the engine changed an account). */
  evictAccounts(): void {
    this.accounts = null;
  }

  clear(): void {
    this.cache.clear();
    this.unknownCount = 0;
    this.accounts = null;
  }

  private dropIfChangedElsewhere(): void {
    if (this.crossProcessCheckMs > 0) {
      const tick = this.monotonicNow();
      if (tick < this.nextVersionCheck) return;
      this.nextVersionCheck = tick + this.crossProcessCheckMs;
    }
    const version = this.dataVersion.get() as number;
    if (version !== this.lastDataVersion) {
      this.lastDataVersion = version;
      this.clear();
    }
  }

  /**
   * The key and the hash to compare with, from the cache or SQLite. An unknown id is remembered
   * like a known one, so "no such id" and "wrong secret" do the same work: timing tells nobody
   * which public ids exist. Unknown ids are bounded so a flood of made-up ones cannot push every
   * real key out of the cache.
   */
  private lookup(publicId: string): { entry: CachedKey; hash: Buffer } {
    const slot = this.cache.find(publicId);
    if (slot >= 0) return { entry: this.cache.entryAt(slot), hash: this.cache.hashAt(slot) };
    const row = this.keysRepo.getByPublicId(publicId);
    const entry = this.fromRow(row) ?? unknownEntry();
    const expected = row?.secret_hash ?? DECOY_HASH;
    if (!entry.unknown || this.unknownCount < MAX_UNKNOWN_IDS) {
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
      key: { id: row.id, account_id: row.account_id, partial_key: `sk-${row.public_id}` },
      revoked: row.status === 'revoked',
      expiresAt: row.expires_at,
      use: newPendingUse(row.id),
      unknown: false, // every entry has the same shape, so the hot path stays monomorphic
    };
  }

  /** The key's account must be the target or one of its ancestors, and every account on the way active. */
  private reach(keyAccountId: string, targetId: string): 'ok' | 'forbidden' | 'account_inactive' {
    const accounts = this.accountTree();
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

  private accountTree(): Map<string, Pick<AccountRow, 'parent_id' | 'status'>> {
    if (!this.accounts) {
      this.accounts = new Map(
        this.accountsRepo.list().map((row) => [row.id, { parent_id: row.parent_id, status: row.status }]),
      );
    }
    return this.accounts;
  }
}
