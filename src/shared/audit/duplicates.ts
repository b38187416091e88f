// Keys that share their label with another key of the same account (the duplicate_label rule):
// the one rule that needs the other keys, found in the audit's single pass through label hashes.

import { skeleton } from '../confusables';
import type { ApiKey } from '../domain';
import { sameLabel } from '../label-rules';
import { lowerCode } from './environment';

// Open addressing over typed arrays: counting 100,000 label hashes in a Map costs more than the
// rest of the audit together.
export class HashGroups {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly counts: Int32Array;
  /** The first key seen with each hash. */
  private readonly firsts: Int32Array;

  constructor(size: number) {
    let capacity = 16;
    while (capacity < size * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    this.firsts = new Int32Array(capacity);
  }

  private slot(hash: number): number {
    // FNV's low bits are poorly mixed; murmur's finalizer spreads them before masking.
    let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    let slot = (mixed ^ (mixed >>> 16)) & this.mask;
    while (this.counts[slot] !== 0 && this.hashes[slot] !== hash) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** Counts the hash; returns its slot, for `sharedWith`. */
  add(hash: number, index: number): number {
    const slot = this.slot(hash);
    if (this.counts[slot] === 0) this.firsts[slot] = index;
    this.hashes[slot] = hash;
    this.counts[slot] = (this.counts[slot] as number) + 1;
    return slot;
  }

  /** The first index with the slot's hash when another one shares it, else -1. */
  sharedWith(slot: number): number {
    return (this.counts[slot] as number) > 1 ? (this.firsts[slot] as number) : -1;
  }
}

/** Same account and same label, trimmed and compared case-insensitively, without allocating for ASCII. */
function sameAccountAndLabel(a: ApiKey, b: ApiKey): boolean {
  if (a.account_id !== b.account_id) return false;
  const x = a.label;
  const y = b.label;
  let i = 0;
  let j = 0;
  let xEnd = x.length;
  let yEnd = y.length;
  while (i < xEnd && x.charCodeAt(i) <= 32) i++;
  while (xEnd > i && x.charCodeAt(xEnd - 1) <= 32) xEnd--;
  while (j < yEnd && y.charCodeAt(j) <= 32) j++;
  while (yEnd > j && y.charCodeAt(yEnd - 1) <= 32) yEnd--;
  if (xEnd - i !== yEnd - j) return sameLabel(x, y); // lengths may still match once non-ASCII is lower-cased
  for (; i < xEnd; i++, j++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (cx > 127 || cy > 127) return sameLabel(x, y);
    if (lowerCode(cx) !== lowerCode(cy)) return false;
  }
  return true;
}

/** Each key's slot in one set of hash groups. */
export interface LabelHashes {
  slots: Int32Array;
  groups: HashGroups;
}

/** Same account, and the same trimmed skeleton: only for keys whose skeleton hashes already match. */
const sameAccountAndSkeleton = (a: ApiKey, b: ApiKey) =>
  a.account_id === b.account_id && skeleton(a.label.trim()) === skeleton(b.label.trim());

/**
 * Marks the keys that share a label with another key of the same account under `same`. Hashes find
 * the candidates; a candidate is compared with the first key of its hash, and the rare ones that
 * only collide with it are settled by comparing their strings (`identity`).
 */
function markShared(
  keys: ApiKey[],
  { slots, groups }: LabelHashes,
  same: (a: ApiKey, b: ApiKey) => boolean,
  identity: (key: ApiKey) => string,
  duplicate: Uint8Array,
): void {
  const collided: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const first = groups.sharedWith(slots[i] as number);
    if (first < 0 || first === i) continue;
    // Already known (the case-insensitive pass finds most twins before the skeleton pass).
    if (duplicate[i] === 1 && duplicate[first] === 1) continue;
    if (same(keys[i] as ApiKey, keys[first] as ApiKey)) {
      duplicate[i] = 1;
      duplicate[first] = 1;
    } else {
      collided.push(i);
    }
  }
  if (collided.length > 0) {
    const exact = (i: number) => `${keys[i]?.account_id}\u0000${identity(keys[i] as ApiKey)}`;
    const seen = new Map<string, number>();
    for (const i of collided) seen.set(exact(i), (seen.get(exact(i)) ?? 0) + 1);
    for (const i of collided) if ((seen.get(exact(i)) as number) > 1) duplicate[i] = 1;
  }
}

/**
 * Keys sharing their label with another key of the same account, as a flag per key: equal but for
 * case (`lower`), or with the same confusable skeleton (`skeletons`), as sameLabel decides.
 */
export function duplicateLabels(keys: ApiKey[], lower: LabelHashes, skeletons: LabelHashes): Uint8Array {
  const duplicate = new Uint8Array(keys.length);
  markShared(keys, lower, sameAccountAndLabel, (key) => key.label.trim().toLowerCase(), duplicate);
  markShared(keys, skeletons, sameAccountAndSkeleton, (key) => skeleton(key.label.trim()), duplicate);
  return duplicate;
}
