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
/** Any start of a public id (1 to 8 hex), for searches. */
export const PUBLIC_ID_START_SOURCE = `${HEX}{1,${PUBLIC_ID_LENGTH}}`;
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
  // Checked by character codes rather than a regular expression: this runs on every request.
  if (candidate.length !== KEY_LENGTH || !candidate.startsWith(KEY_PREFIX)) return null;
  for (let i = KEY_PREFIX.length; i < DOT_AT; i++) if (!isLowerHex(candidate.charCodeAt(i))) return null;
  if (candidate.charCodeAt(DOT_AT) !== 46 /* . */) return null;
  for (let i = DOT_AT + 1; i < KEY_LENGTH; i++) if (!isBase62(candidate.charCodeAt(i))) return null;
  const body = candidate.slice(0, KEY_LENGTH - CHECKSUM_LENGTH);
  if (checksumOf(body) !== candidate.slice(KEY_LENGTH - CHECKSUM_LENGTH)) return null;
  const publicId = candidate.slice(KEY_PREFIX.length, DOT_AT);
  return { publicId, partialKey: partialKeyOf(publicId) };
}

const isLowerHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
const isBase62 = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
