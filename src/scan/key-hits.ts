// Finds strings of the key format in bytes, chunk by chunk, with their line and column. A string
// whose checksum holds is one of our keys, wherever it sits (glued to other text, after an escape
// such as `\n` or `%3D`, with characters escaped or percent-encoded, inside base64): the checksum
// keeps false keys at none. One with the right shape and a wrong checksum is a lookalike (a test
// fixture, a typo, a redacted example), reported only where it stands apart from other text, and
// never as a key. The full key never leaves this module: a hit carries only its public id.
import { isAscii } from 'node:buffer';
import { DOT_AT, KEY_LENGTH, KEY_PREFIX, parseKey } from '../shared/key-format';
import type { KeyEncoding } from '../shared/scan/findings';
import { BACKSLASH, decodeEscapedKey, escapedKeyStart, escapeEndsAt, MAX_ESCAPED_LENGTH, PERCENT } from './key-escapes';

export interface KeyHit {
  /** The 8 hex characters after `sk-`. */
  publicId: string;
  /** false: the shape of a key with a checksum that fails. */
  valid: boolean;
  line: number;
  /** 1-based, in UTF-16 code units from the start of the line (as editors and SARIF count). */
  column: number;
  encoding: KeyEncoding | null;
}

const PREFIX = Buffer.from(KEY_PREFIX, 'latin1');
// The search looks for the prefix's last byte, `-`, and then checks the two before it: memchr on
// `s` stops every dozen bytes or so of source text, on `-` about a tenth as often.
const DASH = PREFIX[2] as number;
const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);
/**
 * Bytes kept from one chunk for the next: a candidate is decided in the chunk where it starts, so
 * every candidate starting before a chunk's last OVERLAP bytes has all its bytes there (a key
 * written with every character escaped is the longest, MAX_ESCAPED_LENGTH).
 */
const OVERLAP = MAX_ESCAPED_LENGTH + 16;
/** Bytes before a candidate an escape can take (`\u002d`): kept across chunks too. */
const LOOK_BEHIND = 8;

// "sk-" in base64 (and base64url) at each of the three alignments of its first byte: the
// encoding of a whole value ("c2st", looked for as "2st": a search is as fast as its first byte
// is rare), and the characters fixed by "sk-" one or two bytes into a three-byte group ("NrL",
// "zay").
const BASE64_NEEDLES = ['2st', 'NrL', 'zay'].map((needle) => Buffer.from(needle, 'latin1'));
/** The shortest base64 that can hold a key. */
const MIN_BASE64_RUN = Math.ceil((KEY_LENGTH * 4) / 3);
/** A base64 run is read whole up to this length; a longer one is read in pieces of it. */
const MAX_BASE64_RUN = 8 << 20;

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
const isBase62 = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// A lookalike glued to more base62 text is part of a longer token, not something to report.
const isTokenByte = (c: number) => c >= 0 && (isBase62(c) || c === 95) /* _ */;
const isBase64Byte = (c: number | undefined) =>
  c !== undefined && (isBase62(c) || c === 43 || c === 47 || c === 45 || c === 95); // + / - _

function hasKeyShape(buffer: Buffer, at: number): boolean {
  for (let i = at + KEY_PREFIX.length; i < at + DOT_AT; i++) if (!isHex(buffer[i] as number)) return false;
  if (buffer[at + DOT_AT] !== 46 /* . */) return false;
  for (let i = at + DOT_AT + 1; i < at + KEY_LENGTH; i++) if (!isBase62(buffer[i] as number)) return false;
  return true;
}

// The bytes kept from the last chunk and the next chunk, joined in one buffer reused for every
// join of the thread (a history's blobs stream in 64 KB pieces: a new buffer each was most of the
// collector's work). Safe to share: a scan is synchronous, keeps no view of its input (what it
// keeps is copied) and the scanners it makes for base64 never join.
let scratch = Buffer.allocUnsafe(0);
function joined(pending: Buffer, chunk: Buffer): Buffer {
  const length = pending.length + chunk.length;
  if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
  pending.copy(scratch, 0);
  chunk.copy(scratch, pending.length);
  return scratch.subarray(0, length);
}

/** A place worth a closer look, and what kind: a `sk-`, an escaped dash after `sk`, base64. */
type Candidate = { at: number; kind: 'plain' | 'escaped' | 'base64' };

export interface ScannerOptions {
  /** Look inside base64 too (off inside decoded base64: nothing is encoded twice over). */
  base64?: boolean;
}

/** Feed it a file's bytes in order (push), then end(); hits collects what was found. */
export class KeyHitScanner {
  readonly hits: KeyHit[] = [];
  private pending = EMPTY;
  /** Offset in the whole input of pending[0]. */
  private pendingStart = 0;
  /** Offset in the whole input before which every candidate has been decided. */
  private decidedTo = 0;
  private line = 1;
  private lineStart = 0;
  /** Offset up to which newlines have been counted. */
  private counted = 0;
  private readonly base64: boolean;
  private finished = false;
  /** Where each hit starts in the whole input, in the order of `hits`. */
  private readonly offsets: number[] = [];

  constructor(options: ScannerOptions = {}) {
    this.base64 = options.base64 ?? true;
  }

  /** final: this is the input's last chunk (then end() is not needed). */
  push(chunk: Buffer, final = false): void {
    this.scan(this.pending.length === 0 ? chunk : joined(this.pending, chunk), final);
  }

  end(): KeyHit[] {
    if (!this.finished) this.scan(this.pending, true);
    return this.hits;
  }

  private scan(buffer: Buffer, final: boolean): void {
    this.finished = final;
    const start = this.pendingStart;
    const from = this.decidedTo - start;
    const limit = final ? buffer.length : this.limitOf(buffer, from);
    if (limit > from) {
      for (const candidate of this.candidates(buffer, from, limit)) this.decide(buffer, start, candidate, limit);
    }
    // Lines are counted only where a hit needs them, and over what the next chunk will not see.
    const keepFrom = Math.max(0, limit - LOOK_BEHIND);
    if (!final) {
      this.countLines(buffer, start, keepFrom);
      this.countUnits(buffer, start, keepFrom);
    }
    this.decidedTo = start + Math.max(from, limit);
    this.pending = final ? EMPTY : Buffer.from(buffer.subarray(keepFrom));
    this.pendingStart = start + keepFrom;
  }

  /**
   * Where this chunk's decisions stop: OVERLAP bytes before its end, or earlier, at the start of a
   * base64 run that reaches that point (a run is decoded whole, so it waits for the next chunk).
   */
  private limitOf(buffer: Buffer, from: number): number {
    let limit = buffer.length - OVERLAP;
    if (!this.base64 || limit <= from) return Math.max(from, limit);
    let runStart = limit;
    while (runStart > from && runStart > limit - MAX_BASE64_RUN && isBase64Byte(buffer[runStart - 1])) runStart--;
    if (runStart < limit && runStart > limit - MAX_BASE64_RUN) limit = runStart;
    return Math.max(from, limit);
  }

  /** Every candidate starting in [from, limit), in order. */
  private candidates(buffer: Buffer, from: number, limit: number): Candidate[] {
    const found: Candidate[] = [];
    for (let dash = buffer.indexOf(DASH, from + 2); dash !== -1 && dash - 2 < limit; ) {
      const at = dash - 2;
      if (at >= from && buffer[at] === PREFIX[0] && buffer[at + 1] === PREFIX[1]) found.push({ at, kind: 'plain' });
      dash = buffer.indexOf(DASH, dash + 1);
    }
    for (const marker of [PERCENT, BACKSLASH]) {
      for (let i = buffer.indexOf(marker, from); i !== -1 && i < limit + 2; i = buffer.indexOf(marker, i + 1)) {
        const at = escapedKeyStart(buffer, i);
        if (at >= from && at < limit) found.push({ at, kind: 'escaped' });
      }
    }
    if (this.base64) {
      const runs = new Set<number>();
      for (const needle of BASE64_NEEDLES) {
        for (let at = buffer.indexOf(needle, from); at !== -1 && at < limit; at = buffer.indexOf(needle, at + 1)) {
          let runStart = at;
          while (runStart > from && isBase64Byte(buffer[runStart - 1])) runStart--;
          runs.add(runStart);
        }
      }
      for (const at of runs) found.push({ at, kind: 'base64' });
    }
    return found.length > 1 ? found.sort((a, b) => a.at - b.at) : found;
  }

  private decide(buffer: Buffer, start: number, candidate: Candidate, limit: number): void {
    const { at } = candidate;
    if (candidate.kind === 'base64') {
      this.decideBase64(buffer, start, at, limit);
      return;
    }
    if (candidate.kind === 'plain' && at + KEY_LENGTH <= buffer.length && hasKeyShape(buffer, at)) {
      const end = at + KEY_LENGTH;
      const valid = parseKey(buffer.toString('latin1', at, end)) !== null;
      const before = at > 0 ? (buffer[at - 1] as number) : -1;
      const apart =
        (!isTokenByte(before) || escapeEndsAt(buffer, at)) &&
        (end === buffer.length || !isTokenByte(buffer[end] as number));
      if (valid || apart)
        this.hit(buffer, start, at, buffer.toString('latin1', at + KEY_PREFIX.length, at + DOT_AT), valid, null);
      return;
    }
    // Some of its characters written as escapes (`sk%2D…`, `sk-1a2b3c4d\u002e…`): only a key
    // whose checksum holds is reported (a lookalike in escapes is noise).
    const decoded = decodeEscapedKey(buffer, at);
    if (decoded !== null && parseKey(decoded.key) !== null) {
      this.hit(buffer, start, at, decoded.key.slice(KEY_PREFIX.length, DOT_AT), true, decoded.encoding);
    }
  }

  /** A base64 run: decoded at each of the four places a group may start, and its keys found. */
  private decideBase64(buffer: Buffer, start: number, runStart: number, limit: number): void {
    let runEnd = runStart;
    while (runEnd < buffer.length && runEnd - runStart < MAX_BASE64_RUN && isBase64Byte(buffer[runEnd])) runEnd++;
    if (runEnd - runStart < MIN_BASE64_RUN || runStart >= limit) return;
    const text = buffer.toString('latin1', runStart, runEnd);
    const seen = new Set<string>();
    for (let shift = 0; shift < 4; shift++) {
      const decoded = Buffer.from(text.slice(shift), 'base64');
      const inner = new KeyHitScanner({ base64: false });
      inner.push(decoded, true);
      for (const hit of inner.hits) {
        if (!hit.valid || seen.has(hit.publicId)) continue;
        seen.add(hit.publicId);
        // Placed at the base64 group its key starts in.
        const offset = inner.offsets[inner.hits.indexOf(hit)] as number;
        this.hit(buffer, start, runStart + shift + Math.floor(offset / 3) * 4, hit.publicId, true, 'base64');
      }
    }
  }

  private hit(
    buffer: Buffer,
    start: number,
    at: number,
    publicId: string,
    valid: boolean,
    encoding: KeyEncoding | null,
  ): void {
    this.countLines(buffer, start, at);
    this.offsets.push(start + at);
    this.hits.push({ publicId, valid, line: this.line, column: this.columnAt(buffer, start, at), encoding });
  }

  /** Where the key sits on its line, in UTF-16 code units as editors and SARIF count (1-based). */
  private columnAt(buffer: Buffer, start: number, at: number): number {
    this.countUnits(buffer, start, at);
    return this.units + 1;
  }

  /**
   * The current line's UTF-16 code units up to `upTo`, counted on from where the last count
   * stopped (many hits on one long line cost one pass; a line longer than a chunk is counted as its
   * chunks go by, each cut at a character's first byte so no character is split).
   */
  private countUnits(buffer: Buffer, start: number, upTo: number): void {
    if (this.unitsLine !== this.lineStart) {
      this.unitsLine = this.lineStart;
      this.unitsTo = this.lineStart;
      this.units = 0;
    }
    let to = upTo;
    while (to > this.unitsTo - start && ((buffer[to] as number) & 0xc0) === 0x80) to--;
    if (to <= this.unitsTo - start) return;
    // ASCII (nearly every source line) is one unit a byte: no string made, which on a minified
    // line of megabytes was a megabyte string per chunk for the collector.
    const span = buffer.subarray(this.unitsTo - start, to);
    this.units += isAscii(span) ? span.length : span.toString('utf8').length;
    this.unitsTo = start + to;
  }

  private unitsLine = -1;
  private unitsTo = 0;
  private units = 0;

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
