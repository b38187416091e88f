// The key format: `sk-<public id>.<secret><checksum>`.
//   public id  8 lowercase hex characters; with `sk-` it is the partial key shown everywhere
//   secret     base62 of 32 bytes from a CSPRNG, always 43 characters (62^43 > 2^256)
//   checksum   base62 of the CRC-32 of everything before it, 6 characters (62^6 > 2^32)
// The checksum lets anyone (a secret scanner, the CLI, the app) recognise one of our keys offline
// and reject typos before any lookup, as GitHub's token format does. It is not a security control.
import { bytesToBigInt, smallToBase62, toBase62 } from './base62';
import { crc32 } from './crc32';

export const KEY_PREFIX = 'sk-';
export const PUBLIC_ID_LENGTH = 8;
export const SECRET_BYTES = 32;
export const SECRET_LENGTH = 43;
export const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + PUBLIC_ID_LENGTH + 1 + SECRET_LENGTH + CHECKSUM_LENGTH; // 61

// The format's patterns, spelled here only (a test holds every other file to that). Sources, so
// a caller can build the pattern it needs (anchored, global, inside a longer one).
const HEX = '[0-9a-f]';
const BASE62 = '[0-9A-Za-z]';
/** `sk-` and the 8 hex characters of the public id. */
export const PARTIAL_KEY_SOURCE = `${KEY_PREFIX}${HEX}{${PUBLIC_ID_LENGTH}}`;
/** What follows the partial key's `.` in a full key: the secret and its checksum. */
export const SECRET_PART_SOURCE = `${BASE62}{${SECRET_LENGTH + CHECKSUM_LENGTH}}`;
/** Any start of a partial key (`sk-`, `sk-1a`, ... `sk-1a2b3c4d`), for searches. */
export const PARTIAL_KEY_START_SOURCE = `${KEY_PREFIX}${HEX}{0,${PUBLIC_ID_LENGTH}}`;
/** Base62, the alphabet of the secret part. */
export const BASE62_SOURCE = BASE62;

export const PUBLIC_ID_PATTERN = new RegExp(`^${HEX}{${PUBLIC_ID_LENGTH}}$`);
export const PARTIAL_KEY_PATTERN = new RegExp(`^${PARTIAL_KEY_SOURCE}$`);
export const FULL_KEY_PATTERN = new RegExp(`^${PARTIAL_KEY_SOURCE}\\.${SECRET_PART_SOURCE}$`);

export type RandomBytes = (size: number) => Uint8Array;

export interface ParsedKey {
  publicId: string;
  /** `sk-<public id>`: safe to show and log. */
  partialKey: string;
}

export const partialKeyOf = (publicId: string): string => `${KEY_PREFIX}${publicId}`;

/** `sk-1a2b3c4d` → `1a2b3c4d`. */
export const publicIdOf = (partialKey: string): string => partialKey.slice(KEY_PREFIX.length);

export function generatePublicId(random: RandomBytes): string {
  return Array.from(random(4), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const checksumOf = (body: string): string => smallToBase62(crc32(body), CHECKSUM_LENGTH);

/** A full key for a given public id. The caller must keep it out of storage and logs. */
export function generateKey(publicId: string, random: RandomBytes): string {
  if (!PUBLIC_ID_PATTERN.test(publicId)) throw new RangeError('public id must be 8 lowercase hex characters');
  const secret = toBase62(bytesToBigInt(random(SECRET_BYTES)), SECRET_LENGTH);
  const body = `${KEY_PREFIX}${publicId}.${secret}`;
  return body + checksumOf(body);
}

/** Where the `.` after the public id stands in a full key (the public id ends there). */
export const DOT_AT = KEY_PREFIX.length + PUBLIC_ID_LENGTH;

/** Shape and checksum only; says nothing about whether the key exists. Null when malformed. */
export function parseKey(candidate: string): ParsedKey | null {
  if (!isWellFormedKey(candidate)) return null;
  const publicId = candidate.slice(KEY_PREFIX.length, DOT_AT);
  return { publicId, partialKey: partialKeyOf(publicId) };
}

/** parseKey's check without its answer. */
export const isWellFormedKey = (candidate: string): boolean => hasKeyShape(candidate) && hasValidChecksum(candidate);

/**
 * The key's length, prefix and characters, by character codes looked up in a table (measured four
 * times faster than range comparisons): nothing is allocated (this runs on every request).
 */
export function hasKeyShape(candidate: string): boolean {
  if (candidate.length !== KEY_LENGTH || !candidate.startsWith(KEY_PREFIX)) return false;
  for (let i = KEY_PREFIX.length; i < DOT_AT; i++) if (!isClass(candidate.charCodeAt(i), LOWER_HEX)) return false;
  if (candidate.charCodeAt(DOT_AT) !== 46 /* . */) return false;
  for (let i = DOT_AT + 1; i < KEY_LENGTH; i++) if (!isClass(candidate.charCodeAt(i), BASE62_CHARACTER)) return false;
  return true;
}

/** For a key of the right shape: its last characters are the checksum of the rest (compared as a number). */
export function hasValidChecksum(candidate: string): boolean {
  let checksum = 0;
  for (let i = KEY_LENGTH - CHECKSUM_LENGTH; i < KEY_LENGTH; i++) {
    checksum = checksum * 62 + base62Digit(candidate.charCodeAt(i));
  }
  return checksum === crc32(candidate, KEY_LENGTH - CHECKSUM_LENGTH);
}

// Each ASCII code's classes, as bits.
const LOWER_HEX = 1;
const BASE62_CHARACTER = 2;
const CLASSES = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const digit = c >= 48 && c <= 57;
    const hexLetter = c >= 97 && c <= 102;
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    table[c] = (digit || hexLetter ? LOWER_HEX : 0) | (digit || letter ? BASE62_CHARACTER : 0);
  }
  return table;
})();
const isClass = (c: number, kind: number): boolean => c < 128 && ((CLASSES[c] as number) & kind) !== 0;

/** The value of a base62 character (already checked to be one). */
const base62Digit = (c: number): number => (c <= 57 ? c - 48 : c <= 90 ? c - 55 : c - 61);
