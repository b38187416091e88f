// Keys that share their label with another key of the same account (the duplicate_label rule):
// the one rule that needs the other keys, found in the audit's single pass through label hashes.

import { skeleton } from '../confusables';
import type { ApiKey } from '../domain';
import { sameLabel } from '../label-rules';
import { lowerCode } from './environment';

/**
 * For each key, the first key (lowest index) whose hash equals its own when some other key shares
 * it, else -1. Sorts `hashes` in place (the caller has no more use for them). Found by sorting the hashes (a stable radix sort) and reading the
 * runs: every pass streams through memory, where a hash table probed 100,000 times at random
 * missed the cache on nearly every probe and cost more than the rest of the audit's pass.
 */
// 11 bits a pass: three passes, with counts (8 KB) that stay in the cache.
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

export function firstsByHash(hashes: Int32Array): Int32Array {
  const n = hashes.length;
  let values: Int32Array = hashes;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let nextValues: Int32Array = new Int32Array(n);
  let nextOrder = new Int32Array(n);
  const counts = new Int32Array(1 << DIGIT_BITS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const bucket = ((values[i] as number) >>> shift) & DIGIT_MASK;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    for (let bucket = 0, at = 0; bucket < counts.length; bucket++) {
      const count = counts[bucket] as number;
      counts[bucket] = at;
      at += count;
    }
    for (let i = 0; i < n; i++) {
      const value = values[i] as number;
      const bucket = (value >>> shift) & DIGIT_MASK;
      const to = counts[bucket] as number;
      counts[bucket] = to + 1;
      nextValues[to] = value;
      nextOrder[to] = order[i] as number;
    }
    [values, nextValues] = [nextValues, values];
    [order, nextOrder] = [nextOrder, order];
  }
  const firsts = new Int32Array(n).fill(-1);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[end] === values[start]) end++;
    if (end - start > 1) for (let i = start; i < end; i++) firsts[order[i] as number] = order[start] as number;
    start = end;
  }
  return firsts;
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
  hashes: Int32Array,
  same: (a: ApiKey, b: ApiKey) => boolean,
  identity: (key: ApiKey) => string,
  duplicate: Uint8Array,
): void {
  const collided: number[] = [];
  const firsts = firstsByHash(hashes);
  for (let i = 0; i < keys.length; i++) {
    const first = firsts[i] as number;
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
export function duplicateLabels(keys: ApiKey[], lower: Int32Array, skeletons: Int32Array): Uint8Array {
  const duplicate = new Uint8Array(keys.length);
  markShared(keys, lower, sameAccountAndLabel, (key) => key.label.trim().toLowerCase(), duplicate);
  markShared(keys, skeletons, sameAccountAndSkeleton, (key) => skeleton(key.label.trim()), duplicate);
  return duplicate;
}

/**
 * Unmarks the keys whose every twin is of their own rotation lineage (`rotations`: a key and its
 * replacement, by id): a replacement that keeps its predecessor's label is the same key renewed,
 * not a duplicate. A lineage that also shares its label with an unrelated key stays marked.
 */
export function forgiveRotations(
  keys: ApiKey[],
  duplicate: Uint8Array,
  rotations: ReadonlyArray<readonly [string, string]>,
): void {
  // Each key's lineage: union-find over the rotations' pairs.
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    let at = id;
    while (parent.has(at) && parent.get(at) !== at) at = parent.get(at) as string;
    return at;
  };
  for (const [old, replacement] of rotations) parent.set(root(replacement), root(old));
  // The marked keys by account and label (case and confusables folded, as sameLabel compares).
  const twins = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    if (duplicate[i] !== 1) continue;
    const key = keys[i] as ApiKey;
    const place = `${key.account_id}\u0000${skeleton(key.label.trim().toLowerCase())}`;
    twins.set(place, [...(twins.get(place) ?? []), i]);
  }
  for (const group of twins.values()) {
    const lineages = new Set(group.map((i) => root((keys[i] as ApiKey).id)));
    if (lineages.size === 1) for (const i of group) duplicate[i] = 0;
  }
}
