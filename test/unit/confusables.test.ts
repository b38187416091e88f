// Confusable skeletons (Unicode TS #39) against the standard's own examples, and the committed
// table against the one the generator makes from confusables.txt.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusablesDataText, DATA_PATH, ROOT } from '../../scripts/confusables-data';
import { asciiSkeletonCodes, skeleton } from '../../src/shared/confusables';

describe('confusable skeletons', () => {
  it('are equal for texts a reader cannot tell apart, and differ otherwise', () => {
    expect(skeleton('paypal')).toBe(skeleton('\u0440\u0430\u0443\u0440\u0430l')); // Cyrillic р а у
    expect(skeleton('scope')).toBe(skeleton('\u0455\u0441\u043e\u0440\u0435')); // all Cyrillic
    expect(skeleton('Ⅾ')).toBe(skeleton('D'));
    expect(skeleton('ﬁle')).toBe(skeleton('file'));
    expect(skeleton('ℓ')).toBe('l');
    expect(skeleton('Billing prod')).not.toBe(skeleton('Billing prod 2'));
    expect(skeleton('a')).not.toBe(skeleton('b'));
  });

  it('of ASCII characters are the table’s', () => {
    const codes = asciiSkeletonCodes();
    const asciiSkeleton = (code: number) =>
      String.fromCharCode(...codes.subarray(code * 4 + 1, code * 4 + 1 + (codes[code * 4] as number)));
    const changed = Array.from({ length: 128 }, (_, code) => [String.fromCharCode(code), asciiSkeleton(code)]).filter(
      ([char, prototype]) => char !== prototype,
    );
    expect(Object.fromEntries(changed)).toEqual({
      '"': "''",
      '%': '\u00ba/\u2080',
      '0': 'O',
      '1': 'l',
      I: 'l',
      '`': "'",
      m: 'rn',
      '|': 'l',
    });
  });

  it('of ASCII text, made from the ASCII table, equal the full NFD-map-NFD form', () => {
    // A final é sends the text down the full path; its skeleton ends with e + U+0301 either way.
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 30 }), (text) => {
        expect(skeleton(`${text}\u00e9`)).toBe(`${skeleton(text)}e\u0301`);
      }),
      { numRuns: 500 },
    );
  });

  it('come from a table that is what the generator makes (npm run confusables:generate)', () => {
    expect(readFileSync(join(ROOT, DATA_PATH), 'utf8')).toBe(confusablesDataText());
  });
});
