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

export type RandomBytes = (size: number) => Uint8Array;

export interface ParsedKey {
  publicId: string;
  /** `sk-<public id>`: safe to show and log. */
  partialKey: string;
}

export const partialKeyOf = (publicId: string): string => `${KEY_PREFIX}${publicId}`;

export function generatePublicId(random: RandomBytes): string {
  return Array.from(random(4), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const checksumOf = (body: string): string => smallToBase62(crc32(body), CHECKSUM_LENGTH);

/** A full key for a given public id. The caller must keep it out of storage and logs. */
export function generateKey(publicId: string, random: RandomBytes): string {
  if (!/^[0-9a-f]{8}$/.test(publicId)) throw new RangeError('public id must be 8 lowercase hex characters');
  const secret = toBase62(bytesToBigInt(random(SECRET_BYTES)), SECRET_LENGTH);
  const body = `${KEY_PREFIX}${publicId}.${secret}`;
  return body + checksumOf(body);
}

/** Shape and checksum only; says nothing about whether the key exists. Null when malformed. */
export function parseKey(candidate: string): ParsedKey | null {
  // Checked by character codes rather than a regular expression: this runs on every request.
  if (candidate.length !== KEY_LENGTH || !candidate.startsWith(KEY_PREFIX)) return null;
  for (let i = 3; i < 11; i++) if (!isLowerHex(candidate.charCodeAt(i))) return null;
  if (candidate.charCodeAt(11) !== 46 /* . */) return null;
  for (let i = 12; i < KEY_LENGTH; i++) if (!isBase62(candidate.charCodeAt(i))) return null;
  const body = candidate.slice(0, KEY_LENGTH - CHECKSUM_LENGTH);
  if (checksumOf(body) !== candidate.slice(KEY_LENGTH - CHECKSUM_LENGTH)) return null;
  const publicId = candidate.slice(3, 11);
  return { publicId, partialKey: partialKeyOf(publicId) };
}

const isLowerHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
const isBase62 = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
