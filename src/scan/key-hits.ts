// Finds strings of the key format in bytes, chunk by chunk, with their line and column. A string
// whose checksum holds is one of our keys; one with the right shape and a wrong checksum is a
// lookalike (a test fixture, a typo, a redacted example), never reported as a key. The full key
// never leaves this module: a hit carries only its public id.
import { DOT_AT, KEY_LENGTH, KEY_PREFIX, parseKey } from '../shared/key-format';

export interface KeyHit {
  /** The 8 hex characters after `sk-`. */
  publicId: string;
  /** false: the shape of a key with a checksum that fails. */
  valid: boolean;
  line: number;
  /** 1-based, in bytes from the start of the line. */
  column: number;
}

const PREFIX = Buffer.from(KEY_PREFIX, 'latin1');
// The search looks for the prefix's last byte, `-`, and then checks the two before it: memchr on
// `s` stops every dozen bytes or so of source text, on `-` about a tenth as often.
const DASH = PREFIX[2] as number;
const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
const isBase62 = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// A key glued to more base62 text is part of a longer token, not a key.
const isTokenByte = (c: number | undefined) => c !== undefined && c >= 0 && (isBase62(c) || c === 95) /* _ */;

function hasKeyShape(buffer: Buffer, at: number): boolean {
  for (let i = at + KEY_PREFIX.length; i < at + DOT_AT; i++) if (!isHex(buffer[i] as number)) return false;
  if (buffer[at + DOT_AT] !== 46 /* . */) return false;
  for (let i = at + DOT_AT + 1; i < at + KEY_LENGTH; i++) if (!isBase62(buffer[i] as number)) return false;
  return true;
}

/** How many bytes at the end could begin the prefix (`s` or `sk`): 0, 1 or 2. */
function prefixTail(buffer: Buffer): number {
  const n = buffer.length;
  if (n >= 2 && buffer[n - 2] === PREFIX[0] && buffer[n - 1] === PREFIX[1]) return 2;
  return n >= 1 && buffer[n - 1] === PREFIX[0] ? 1 : 0;
}

/** Feed it a file's bytes in order (push), then end(); hits collects what was found. */
export class KeyHitScanner {
  readonly hits: KeyHit[] = [];
  private pending = EMPTY;
  /** Offset in the whole input of pending[0]. */
  private pendingStart = 0;
  /** The byte before pending[0] (-1 at the start), for the boundary check. */
  private before = -1;
  private line = 1;
  private lineStart = 0;
  /** Offset up to which newlines have been counted. */
  private counted = 0;

  /** final: this is the input's last chunk (then end() is not needed). */
  push(chunk: Buffer, final = false): void {
    this.scan(this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]), final);
  }

  end(): KeyHit[] {
    if (this.pending.length > 0) this.scan(this.pending, true);
    return this.hits;
  }

  private scan(buffer: Buffer, final: boolean): void {
    const start = this.pendingStart;
    let from = 0;
    let keep = buffer.length;
    for (;;) {
      const dash = buffer.indexOf(DASH, from + 2);
      if (dash === -1) {
        // `sk` or `s` at the very end may be the start of a key split across chunks; anything
        // else is done with (so the next chunk is scanned as it is, not copied after a tail).
        keep = final ? buffer.length : Math.max(from, buffer.length - prefixTail(buffer));
        break;
      }
      const at = dash - 2;
      if (buffer[at] !== PREFIX[0] || buffer[at + 1] !== PREFIX[1]) {
        from = at + 1;
        continue;
      }
      // A whole key and the byte after it are needed to decide.
      if (!final && at + KEY_LENGTH + 1 > buffer.length) {
        keep = at;
        break;
      }
      const end = at + KEY_LENGTH;
      const previous = at > 0 ? buffer[at - 1] : this.before;
      if (end <= buffer.length && !isTokenByte(previous) && !isTokenByte(buffer[end]) && hasKeyShape(buffer, at)) {
        this.countLines(buffer, start, at);
        const parsed = parseKey(buffer.toString('latin1', at, end));
        this.hits.push({
          publicId: buffer.toString('latin1', at + KEY_PREFIX.length, at + DOT_AT),
          valid: parsed !== null,
          line: this.line,
          column: start + at - this.lineStart + 1,
        });
        from = end;
      } else {
        from = at + 1;
      }
    }
    // Lines are counted only where a hit needs them, and over what the next chunk will not see.
    if (!final) this.countLines(buffer, start, keep);
    if (keep > 0) this.before = buffer[keep - 1] as number;
    this.pending = final ? EMPTY : Buffer.from(buffer.subarray(keep));
    this.pendingStart = start + keep;
  }

  private countLines(buffer: Buffer, start: number, upTo: number): void {
    const from = this.counted - start;
    if (upTo <= from) return;
    // indexOf per line: no slower than a byte loop on short lines, and one call for a long
    // minified line (where a byte loop costs about 2 ns a byte).
    const counted = buffer.subarray(0, upTo);
    let last = -1;
    for (let at = counted.indexOf(NEWLINE, from); at !== -1; at = counted.indexOf(NEWLINE, at + 1)) {
      this.line++;
      last = at;
    }
    if (last !== -1) this.lineStart = start + last + 1;
    this.counted = start + upTo;
  }
}

/** Every hit in one piece of text (a line of a diff, a small file). */
export function keyHitsIn(bytes: Buffer): KeyHit[] {
  const scanner = new KeyHitScanner();
  scanner.push(bytes, true);
  return scanner.end();
}
