import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET, toBase62 } from '../../src/shared/base62';
import { crc32 } from '../../src/shared/crc32';
import { generateKey, generatePublicId, KEY_LENGTH, parseKey } from '../../src/shared/key-format';

const publicIdArb = fc.stringMatching(/^[0-9a-f]{8}$/);
const bytesSource = (seed: Uint8Array) => (size: number) => {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = seed[i % seed.length] ?? 0;
  return out;
};
const keyArb = fc
  .tuple(publicIdArb, fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([id, seed]) => generateKey(id, bytesSource(seed)));

describe('key format', () => {
  it('crc32 matches the IEEE reference value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('generates sk-<8 hex>.<43 base62><6 base62> that parses back to its public id', () => {
    fc.assert(
      fc.property(publicIdArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (id, seed) => {
        const key = generateKey(id, bytesSource(seed));
        expect(key).toMatch(/^sk-[0-9a-f]{8}\.[0-9A-Za-z]{49}$/);
        expect(key).toHaveLength(KEY_LENGTH);
        expect(parseKey(key)).toEqual({ publicId: id, partialKey: `sk-${id}` });
      }),
    );
  });

  it('encodes the full 256 bits: all-zero and all-ones secrets keep their width', () => {
    for (const fill of [0, 255]) {
      const key = generateKey('00000000', (size) => new Uint8Array(size).fill(fill));
      expect(parseKey(key)).not.toBeNull();
    }
    expect(toBase62(2n ** 256n - 1n, 43)).toHaveLength(43);
    expect(() => toBase62(62n ** 43n, 43)).toThrow(RangeError);
  });

  it('rejects any single-character change (checksum or shape) before a lookup could happen', () => {
    fc.assert(
      fc.property(keyArb, fc.nat(), fc.constantFrom(...BASE62_ALPHABET, '.', '-', '_', ' '), (key, at, replacement) => {
        const index = at % key.length;
        fc.pre(key[index] !== replacement);
        const tampered = key.slice(0, index) + replacement + key.slice(index + 1);
        expect(parseKey(tampered)).toBeNull();
      }),
    );
  });

  it('rejects truncations, extensions and arbitrary strings', () => {
    fc.assert(
      fc.property(keyArb, fc.string({ minLength: 1, maxLength: 5 }), (key, extra) => {
        expect(parseKey(key.slice(0, -1))).toBeNull();
        expect(parseKey(key + extra)).toBeNull();
        expect(parseKey(` ${key}`)).toBeNull();
        expect(parseKey(key.toUpperCase())).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(parseKey(text)).toBeNull();
      }),
    );
  });

  it('draws public ids from the random source as 8 lowercase hex', () => {
    expect(generatePublicId(() => Uint8Array.from([0, 15, 160, 255]))).toBe('000fa0ff');
    expect(generatePublicId((size) => randomBytes(size))).toMatch(/^[0-9a-f]{8}$/);
  });
});
