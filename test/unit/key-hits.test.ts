// Finding keys in bytes: real keys by their checksum, lookalikes apart, token boundaries, lines
// and columns, and the same answer however the bytes are split into chunks.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyHitScanner, keyHitsIn } from '../../src/scan/key-hits';
import { generateKey } from '../../src/shared/key-format';

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
      { publicId: '0000aaaa', valid: true, line: 2, column: 9 },
      { publicId: '1111bbbb', valid: false, line: 3, column: 13 },
    ]);
    expect(JSON.stringify(hits)).not.toContain(a.slice(12));
  });

  it('takes a key only where it stands alone, not inside a longer token', () => {
    const a = key('2222cccc');
    const glued = [`x${a}`, `${a}x`, `_${a}`, `${a}0`];
    for (const text of glued) expect(keyHitsIn(Buffer.from(text))).toEqual([]);
    for (const text of [`"${a}"`, `Bearer ${a};`, `=${a}\r\n`, `${a}`, `-${a}.`]) {
      expect(keyHitsIn(Buffer.from(text)).map((hit) => hit.valid)).toEqual([true]);
    }
  });

  it('gives the same hits however the input is cut into chunks', () => {
    const pieces = [key('3333dddd'), lookalike('4444eeee'), key('5555ffff')];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('\n', ' ', 'sk-', 's', 'é', 'abc', '"')), {
          maxLength: 30,
        }),
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
    // The oracle: every string of the key's shape that stands alone, by byte offset (latin1 keeps
    // one character per byte), its checksum decided apart.
    const shape = /(?<![0-9A-Za-z_])sk-([0-9a-f]{8})\.[0-9A-Za-z]{49}(?![0-9A-Za-z_])/g;
    const pieces = [key('6666aaaa'), lookalike('7777bbbb'), key('8888cccc')];
    // A key's shape after a prefix that is not `sk-` must not count.
    const misprefixed = [pieces[0]?.slice(1), `x${pieces[2]?.slice(2)}`] as string[];
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...pieces),
            fc.constantFrom(...misprefixed, 'sk', 's', 'k-', '-', 'sk-', '\n', ' ', '_', 'é', 'x'),
          ),
          {
            maxLength: 40,
          },
        ),
        (parts) => {
          const bytes = Buffer.from(parts.join(''));
          const text = bytes.toString('latin1');
          const expected = [...text.matchAll(shape)].map((match) => {
            const lineStart = text.lastIndexOf('\n', match.index) + 1;
            return {
              publicId: match[1],
              valid: match[0] !== pieces[1],
              line: text.slice(0, match.index).split('\n').length,
              column: match.index - lineStart + 1,
            };
          });
          expect(keyHitsIn(bytes)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
