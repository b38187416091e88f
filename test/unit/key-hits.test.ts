// Finding keys in bytes: real keys by their checksum wherever they are (glued, after an escape,
// escaped, in base64), lookalikes only where they stand apart, lines and columns, and the same
// answer however the bytes are split into chunks.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyHitScanner, keyHitsIn } from '../../src/scan/key-hits';
import { generateKey, parseKey } from '../../src/shared/key-format';

const key = (publicId: string) => generateKey(publicId, randomBytes);
/** Same shape, last checksum character changed: fails the checksum. */
const lookalike = (publicId: string) => {
  const real = key(publicId);
  return real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
};

describe('key hits', () => {
  it('finds keys with line and column, lookalikes marked invalid, never the secret', () => {
    const a = key('0000aaaa');
    const text = `first line\nAPI_KEY=${a}\n  "token": "${lookalike('1111bbbb')}",\nplain sk-short\n`;
    const hits = keyHitsIn(Buffer.from(text));
    expect(hits).toEqual([
      { publicId: '0000aaaa', valid: true, line: 2, column: 9, encoding: null },
      { publicId: '1111bbbb', valid: false, line: 3, column: 13, encoding: null },
    ]);
    expect(JSON.stringify(hits)).not.toContain(a.slice(12));
  });

  it('finds a key wherever it is; a lookalike only where it stands apart or right after an escape', () => {
    const a = key('2222cccc');
    const fake = lookalike('2222dddd');
    for (const text of [`x${a}`, `${a}x`, `_${a}`, `${a}0`, `"${a}"`, `Bearer ${a};`, `=${a}\r\n`, a, `-${a}.`]) {
      expect(keyHitsIn(Buffer.from(text)).map((hit) => [hit.publicId, hit.valid])).toEqual([['2222cccc', true]]);
    }
    for (const glued of [`x${fake}`, `${fake}x`, `_${fake}`, `${fake}0`])
      expect(keyHitsIn(Buffer.from(glued))).toEqual([]);
    // After the letter or digit that ends an escape: JSON and JavaScript escapes, percent-encoding.
    for (const before of ['\\n', '\\t', '%3D', '%3d', '\\x3d', '\\u003D']) {
      for (const [text, valid] of [
        [a, true],
        [fake, false],
      ] as const) {
        const hits = keyHitsIn(Buffer.from(`{"log":"key${before}${text}"}`));
        expect(hits.map((hit) => [hit.valid, hit.column, hit.encoding])).toEqual([[valid, 12 + before.length, null]]);
      }
    }
  });

  it('decodes a key whose characters are escaped or percent-encoded, and reports only real ones', () => {
    const a = key('9999aaaa');
    const percent = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    const unicode = (text: string) =>
      [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const cases: Array<[string, string, string, string]> = [
      ['url=', a.replace('-', '%2D'), '&x=1', 'percent'],
      ['url=', a.replace('-', '%2d').replace('.', '%2E'), '', 'percent'],
      ['"', a.replace('.', '\\u002e'), '"', 'escape'],
      ['"', a.replace('-', '\\x2d'), '"', 'escape'],
      ['q=', percent(a), '', 'percent'],
      ['"', unicode(a), '"', 'escape'],
    ];
    for (const [before, written, after, encoding] of cases) {
      const text = `${before}${written}${after}`;
      expect(keyHitsIn(Buffer.from(text)), text).toEqual([
        { publicId: '9999aaaa', valid: true, line: 1, column: before.length + 1, encoding },
      ]);
    }
    const fake = lookalike('9999bbbb');
    expect(keyHitsIn(Buffer.from(fake.replace('-', '%2D')))).toEqual([]);
  });

  it('finds a key in base64 and base64url, of the value alone or of a whole line, at its place', () => {
    const a = key('abcd0123');
    const values = [a, `ITELLICO_API_KEY=${a}`, `KEY: ${a}\n`, `{"key":"${a}"}`, `xy${a}`];
    for (const value of values) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(value).toString(encoding);
        const text = `apiVersion: v1\ndata:\n  token: ${encoded}\n`;
        const hits = keyHitsIn(Buffer.from(text));
        expect(
          hits.map((hit) => [hit.publicId, hit.valid, hit.line, hit.encoding]),
          value,
        ).toEqual([['abcd0123', true, 3, 'base64']]);
        // At the group of four characters its first byte is in.
        const group = Math.floor(value.indexOf('sk-') / 3) * 4;
        expect(hits[0]?.column).toBe('  token: '.length + group + 1);
      }
    }
    // A lookalike in base64 is noise, and base64 of nothing like a key finds nothing.
    expect(keyHitsIn(Buffer.from(Buffer.from(lookalike('abcd4567')).toString('base64')))).toEqual([]);
    expect(keyHitsIn(Buffer.from(Buffer.from('c2st'.repeat(40)).toString('base64')))).toEqual([]);
  });

  it('gives the same hits however the input is cut into chunks', () => {
    const pieces = [
      key('3333dddd'),
      lookalike('4444eeee'),
      key('5555ffff'),
      Buffer.from(`K=${key('6666aaaa')}`).toString('base64'),
      key('7777bbbb').replace('-', '%2D'),
      key('8888cccc').replace('.', '\\u002e'),
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('\n', ' ', 'sk-', 's', 'é', 'abc', '"', '\\n', '%3D')),
          { maxLength: 30 },
        ),
        fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 20 }),
        (parts, cuts) => {
          const bytes = Buffer.from(parts.join(''));
          const whole = keyHitsIn(bytes);
          const scanner = new KeyHitScanner();
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const size = cuts[i % cuts.length] as number;
            scanner.push(bytes.subarray(at, at + size));
            at += size;
          }
          expect(scanner.end()).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds what a regular expression of the key format finds, and nothing else', () => {
    // The oracle: every string of the key's shape, by byte offset (latin1 keeps one character per
    // byte): a key when its checksum holds, wherever it is; else a lookalike, when it stands apart
    // (nothing of a token before it, unless an escape ends there; nothing of one after it).
    // A lookahead, so shapes that overlap are each seen (a key ending in `s` right before `k-…`).
    const shape = /(?=(sk-([0-9a-f]{8})\.[0-9A-Za-z]{49}))/g;
    const escapeBefore = /(\\[\s\S]|%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4})$/;
    const token = /[0-9A-Za-z_]/;
    const pieces = [key('6666aaaa'), lookalike('7777bbbb'), key('8888cccc')];
    // A key's shape after a prefix that is not `sk-` must not count.
    const misprefixed = [pieces[0]?.slice(1), `x${pieces[2]?.slice(2)}`] as string[];
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...pieces),
            fc.constantFrom(...misprefixed, 'sk', 's', 'k-', '-', 'sk-', '\n', ' ', '_', 'é', 'x', '\\n', '%3D', '\\'),
          ),
          {
            maxLength: 40,
          },
        ),
        (parts) => {
          const bytes = Buffer.from(parts.join(''));
          const text = bytes.toString('latin1');
          const expected = [...text.matchAll(shape)]
            .map((match) => ({ key: match[1] as string, publicId: match[2] as string, index: match.index }))
            .filter((match) => {
              if (parseKey(match.key) !== null) return true;
              const before = text.slice(0, match.index);
              const after = text[match.index + match.key.length] ?? '';
              const apartBefore = !token.test(before.at(-1) ?? '') || escapeBefore.test(before);
              return apartBefore && !token.test(after);
            })
            .map((match) => {
              const lineStart = text.lastIndexOf('\n', match.index) + 1;
              // Columns count UTF-16 code units of the line's text (é is two bytes, one unit).
              const before = Buffer.from(text.slice(lineStart, match.index), 'latin1').toString('utf8');
              return {
                publicId: match.publicId,
                valid: parseKey(match.key) !== null,
                line: text.slice(0, match.index).split('\n').length,
                column: before.length + 1,
                encoding: null,
              };
            });
          expect(keyHitsIn(bytes)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
