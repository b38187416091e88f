// Which environment a key serves: set by hand in the app, or read from whole words of its label
// ("Billing prod", "staging-worker"). Rotation periods and the production-key rules depend on it.
import { asciiSkeletonCodes, skeleton } from '../confusables';
import type { ApiKey } from '../domain';

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The rank of "no environment": ranks 0..2 are positions in ENVIRONMENTS. */
export const NO_ENVIRONMENT = 3;

// Words of a label that name an environment, with their rank: a label naming two takes the lower.
const ENVIRONMENT_WORDS = ['prod', 'production', 'staging', 'stage', 'dev', 'development', 'test'];
const WORD_RANKS = [0, 0, 1, 1, 2, 2, 2];
// The pre-filter of wordRank, from the words themselves: their lengths and first letters.
const SHORTEST_WORD = Math.min(...ENVIRONMENT_WORDS.map((word) => word.length));
const LONGEST_WORD = Math.max(...ENVIRONMENT_WORDS.map((word) => word.length));
const FIRST_LETTERS = new Uint8Array(128);
for (const word of ENVIRONMENT_WORDS) FIRST_LETTERS[word.charCodeAt(0)] = 1;

/** Code of an ASCII letter in lower case; anything else unchanged. */
export const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);
/** `\b` word characters, as regular expressions see them: ASCII letters, digits and underscore. */
const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;

function wordIs(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (lowerCode(text.charCodeAt(start + i)) !== word.charCodeAt(i)) return false;
  return true;
}

/** Rank of the environment the word text[start, end) names, or NO_ENVIRONMENT. */
function wordRank(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < SHORTEST_WORD || length > LONGEST_WORD) return NO_ENVIRONMENT;
  // Most words stop here: no environment word starts with their first letter.
  if (FIRST_LETTERS[lowerCode(text.charCodeAt(start))] !== 1) return NO_ENVIRONMENT;
  for (let w = 0; w < ENVIRONMENT_WORDS.length; w++) {
    if (wordIs(text, start, end, ENVIRONMENT_WORDS[w] as string)) return WORD_RANKS[w] as number;
  }
  return NO_ENVIRONMENT;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashText(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

// The skeleton's hash is polynomial (h·P + c for each code) rather than FNV, so an ASCII
// character's whole skeleton (one to three codes) goes in with one multiply and one add,
// precomputed per character: the inner loop over its codes cost a quarter of the audit.
// Its low bits mix poorly, as FNV's do, and they pick a HashGroups cell: both finished hashes
// go through murmur3's finaliser.
function hashSkeleton(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, FNV_PRIME) + text.charCodeAt(i)) | 0;
  return hash;
}

function mixBits(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Per ASCII code: P^k and the hash of its skeleton's k codes from 0, so h' = h·P^k + that. */
let skeletonSteps: { times: Int32Array; plus: Int32Array } | null = null;
function asciiSkeletonSteps(): { times: Int32Array; plus: Int32Array } {
  if (skeletonSteps) return skeletonSteps;
  const codes = asciiSkeletonCodes();
  const times = new Int32Array(128);
  const plus = new Int32Array(128);
  for (let code = 0; code < 128; code++) {
    let power = 1;
    let sum = 0;
    for (let p = 1; p <= (codes[code * 4] as number); p++) {
      power = Math.imul(power, FNV_PRIME);
      sum = (Math.imul(sum, FNV_PRIME) + (codes[code * 4 + p] as number)) | 0;
    }
    times[code] = power;
    plus[code] = sum;
  }
  skeletonSteps = { times, plus };
  return skeletonSteps;
}

export interface LabelScan {
  rank: number;
  /** Of the trimmed lower-case label; well mixed. */
  hash: number;
  /** Of the trimmed label's confusable skeleton (shared/confusables.ts); well mixed. */
  skeletonHash: number;
}

/**
 * One pass over a label, without allocating: the environment it names (as a rank), and hashes of
 * its trimmed lower-case form and of its confusable skeleton for spotting duplicates. Labels with
 * non-ASCII characters hash their `toLowerCase()` form and their skeleton so the comparison stays
 * exact for every script.
 */
export function scanLabel(label: string, out: LabelScan): void {
  let rank = NO_ENVIRONMENT;
  let hash = FNV_OFFSET;
  let skeletonHash = FNV_OFFSET;
  const { times, plus } = asciiSkeletonSteps();
  let start = 0;
  let end = label.length;
  while (start < end && label.charCodeAt(start) <= 32) start++;
  while (end > start && label.charCodeAt(end - 1) <= 32) end--;
  let wordStart = -1;
  let ascii = true;
  for (let i = start; i <= end; i++) {
    const code = i < end ? label.charCodeAt(i) : 32;
    if (code > 127) ascii = false;
    if (isWordCode(code)) {
      if (wordStart < 0) wordStart = i;
    } else if (wordStart >= 0) {
      const r = wordRank(label, wordStart, i);
      if (r < rank) rank = r;
      wordStart = -1;
    }
    if (i < end && ascii) {
      hash = Math.imul(hash ^ lowerCode(code), FNV_PRIME);
      skeletonHash = (Math.imul(skeletonHash, times[code] as number) + (plus[code] as number)) | 0;
    }
  }
  if (!ascii) {
    const trimmed = label.trim();
    hash = hashText(trimmed.toLowerCase());
    skeletonHash = hashSkeleton(skeleton(trimmed));
  }
  out.rank = rank;
  out.hash = mixBits(hash);
  out.skeletonHash = mixBits(skeletonHash);
}

const scratch: LabelScan = { rank: NO_ENVIRONMENT, hash: 0, skeletonHash: 0 };

/** The rank of the environment a label names, or NO_ENVIRONMENT. */
export function environmentRankOf(label: string): number {
  scanLabel(label, scratch);
  return scratch.rank;
}

/** The environment a label names (prod/production, staging/stage, dev/development/test), if any. */
export const environmentFromLabel = (label: string): Environment | null =>
  ENVIRONMENTS[environmentRankOf(label)] ?? null;

/** The environment set by hand for a key, or else the one its label names. */
export const environmentOf = (key: ApiKey, overrides?: Record<string, Environment>): Environment | null =>
  overrides?.[key.id] ?? environmentFromLabel(key.label);
