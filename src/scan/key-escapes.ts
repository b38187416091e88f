// Keys written with escapes, for the scan (key-hits.ts): whether the text before a key ends an
// escape (`\n`, `%3D`, `\x3d`, `\u003d`: the key then starts right after a letter or digit that is
// not part of it), and a key whose own characters are escaped or percent-encoded, decoded.
import { KEY_LENGTH } from '../shared/key-format';
import type { KeyEncoding } from '../shared/scan/findings';

/** The most bytes a key can take here: every character as `\u00XX`. */
export const MAX_ESCAPED_LENGTH = KEY_LENGTH * 6;

export const BACKSLASH = 92;
export const PERCENT = 37;
const isHexDigit = (c: number | undefined) =>
  c !== undefined && ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70));
const hexAt = (buffer: Buffer, at: number, length: number): number => {
  for (let i = at; i < at + length; i++) if (!isHexDigit(buffer[i])) return -1;
  return Number.parseInt(buffer.toString('latin1', at, at + length), 16);
};

/**
 * Where a key with escaped characters may start, given a `%` or a backslash at `at`: `sk` and an
 * escaped dash (`sk%2D`, `sk\u002d`, `sk\x2d`), or an escaped `s` (`%73`, `\u0073`, `\x73`: every
 * character escaped). -1 when none does. The scan finds the `%` and backslash bytes (rare, so
 * fast to search for) and asks this.
 */
export function escapedKeyStart(buffer: Buffer, at: number): number {
  const after = buffer.toString('latin1', at, at + 6).toLowerCase();
  const sk = buffer[at - 2] === 115 /* s */ && buffer[at - 1] === 107; /* k */
  if (after.startsWith('%2d') || after.startsWith('\\u002d') || after.startsWith('\\x2d')) return sk ? at - 2 : -1;
  return after.startsWith('%73') || after.startsWith('\\u0073') || after.startsWith('\\x73') ? at : -1;
}

/** Whether the bytes just before `at` are an escape that ends in a letter or digit. */
export function escapeEndsAt(buffer: Buffer, at: number): boolean {
  const byte = (i: number) => (i >= 0 ? buffer[i] : undefined);
  if (byte(at - 2) === BACKSLASH) return true; // \n \t \r \0 …
  if (byte(at - 3) === PERCENT && hexAt(buffer, at - 2, 2) >= 0) return true; // %3D
  if (byte(at - 4) === BACKSLASH && byte(at - 3) === 120 /* x */ && hexAt(buffer, at - 2, 2) >= 0) return true;
  return at >= 6 && byte(at - 6) === BACKSLASH && byte(at - 5) === 117 /* u */ && hexAt(buffer, at - 4, 4) >= 0;
}

/**
 * The key starting at `at` with its escapes and percent-encodings undone, if any of its
 * characters was written that way (a plain key is the caller's); null when there is none, or its
 * bytes end first.
 */
export function decodeEscapedKey(buffer: Buffer, at: number): { key: string; encoding: KeyEncoding } | null {
  const codes: number[] = [];
  let encoding: KeyEncoding | null = null;
  let i = at;
  while (codes.length < KEY_LENGTH) {
    const c = buffer[i];
    if (c === undefined) return null;
    const escaped = c === PERCENT || c === BACKSLASH ? escapeAt(buffer, i) : null;
    if (escaped === null && (c === PERCENT || c === BACKSLASH)) return null;
    const code = escaped?.code ?? c;
    if (code > 127) return null; // a key is ASCII
    codes.push(code);
    if (escaped) encoding ??= escaped.encoding;
    i += escaped?.width ?? 1;
  }
  return encoding === null ? null : { key: String.fromCharCode(...codes), encoding };
}

/** The character an escape at `at` stands for (`%2D`, `\u002d`, `\x2d`), or null for none. */
function escapeAt(buffer: Buffer, at: number): { code: number; width: number; encoding: KeyEncoding } | null {
  if (buffer[at] === PERCENT) {
    const code = hexAt(buffer, at + 1, 2);
    return code < 0 ? null : { code, width: 3, encoding: 'percent' };
  }
  const letter = buffer[at + 1];
  const digits = letter === 117 /* u */ ? 4 : letter === 120 /* x */ ? 2 : 0;
  const code = digits === 0 ? -1 : hexAt(buffer, at + 2, digits);
  return code < 0 ? null : { code, width: 2 + digits, encoding: 'escape' };
}
