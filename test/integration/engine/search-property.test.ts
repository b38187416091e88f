// One search, three implementations: the HTTP API's `q` on the store (SQL), the window's table
// (one scan of every key's folded text) and the specification itself (shared/key-search.ts, key by
// key). fast-check builds inventories with labels full of what folds oddly (Ü, İ, ß, final sigma,
// the Kelvin sign, decomposed accents) or means something to SQL (% _ \ '), and searches made from
// them: parts of labels in changed case, several words in any order, partial keys, whole keys.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { indexKey, searchMask } from '../../../src/shared/key-index';
import { matchesSearch, parseSearch } from '../../../src/shared/key-search';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

const LETTERS = ['a', 'B', 'ü', 'Ü', 'İ', 'i', 'ı', 'ß', 'Σ', 'σ', 'ς', 'K', 'k', '\u212a', 'é', 'e\u0301', 'x'];
const ODD = [' ', '%', '_', '\\', "'", '-', '1', '9'];
const character = fc.constantFrom(...LETTERS, ...ODD);
const label = fc
  .array(character, { minLength: 1, maxLength: 14 })
  .map((chars) => chars.join(''))
  .filter((text) => text.trim() !== '');

/** A search made from what the inventory holds, so that most of them find something. */
type QuerySpec =
  | { kind: 'label part'; key: number; from: number; length: number; upper: boolean[] }
  | { kind: 'two words'; key: number; other: number }
  | { kind: 'partial key'; key: number; length: number; upper: boolean }
  | { kind: 'whole key'; key: number }
  | { kind: 'free'; text: string };

const querySpec: fc.Arbitrary<QuerySpec> = fc.oneof(
  fc.record({
    kind: fc.constant('label part' as const),
    key: fc.nat(),
    from: fc.nat(),
    length: fc.integer({ min: 1, max: 6 }),
    upper: fc.array(fc.boolean(), { maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('two words' as const), key: fc.nat(), other: fc.nat() }),
  fc.record({
    kind: fc.constant('partial key' as const),
    key: fc.nat(),
    length: fc.integer({ min: 3, max: 11 }),
    upper: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('whole key' as const), key: fc.nat() }),
  fc.record({ kind: fc.constant('free' as const), text: label }),
);

interface Made {
  label: string;
  partialKey: string;
  secret: string;
}

function queryOf(spec: QuerySpec, made: Made[]): string {
  const pick = (n: number) => made[n % made.length] as Made;
  switch (spec.kind) {
    case 'label part': {
      const chars = [...pick(spec.key).label];
      const from = spec.from % chars.length;
      return chars
        .slice(from, from + spec.length)
        .map((c, i) => (spec.upper[i] ? c.toUpperCase() : c))
        .join('');
    }
    case 'two words': {
      const words = (n: number) => pick(n).label.split(/\s+/).filter(Boolean);
      return [...words(spec.other).slice(-1), ...words(spec.key).slice(0, 1)].join('  ');
    }
    case 'partial key': {
      const part = pick(spec.key).partialKey.slice(0, spec.length);
      return spec.upper ? part.toUpperCase() : part;
    }
    case 'whole key':
      return pick(spec.key).secret;
    case 'free':
      return spec.text;
  }
}

let f: EngineFixture | undefined;
afterEach(async () => f?.cleanup());

describe('search: the store, the window and the specification agree (property)', () => {
  it('finds the same keys for every search', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(label, { minLength: 1, maxLength: 12 }),
        fc.array(querySpec, { minLength: 1, maxLength: 8 }),
        async (labels, queries) => {
          await f?.cleanup();
          f = await openTestEngine();
          const engine = f.engine;
          const sub = await engine.createSubaccount(f.rootId, { name: 'Sub' });
          const made: Made[] = [];
          for (const [i, text] of labels.entries()) {
            const { key, secret } = await engine.createKey(i % 2 ? sub.id : f.rootId, { label: text }, admin);
            made.push({ label: key.label, partialKey: key.partial_key, secret });
          }
          const keys = (await engine.listKeys(f.rootId, { include_subaccounts: true, limit: 100 })).data;
          const entries = keys.map((key) => indexKey(key, f?.clock.now() ?? 0));

          for (const spec of queries) {
            const q = queryOf(spec, made);
            if (q.trim() === '') continue; // the API refuses a blank q; the window shows every key
            const bySpec = keys.filter((key) => matchesSearch(parseSearch(q), key)).map((key) => key.id);
            const mask = searchMask(entries, q);
            const byWindow = keys.filter((_, i) => mask === null || mask[i] === 1).map((key) => key.id);
            const byStore = (await engine.listKeys(f.rootId, { include_subaccounts: true, limit: 100, q })).data.map(
              (key) => key.id,
            );
            expect({ q, byWindow: byWindow.sort() }).toEqual({ q, byWindow: [...bySpec].sort() });
            expect({ q, byStore: byStore.sort() }).toEqual({ q, byStore: [...bySpec].sort() });
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('reads a search as the specification says', () => {
    expect(parseSearch('  SK-0A1B  ')).toEqual({ partialKey: 'sk-0a1b', words: [] });
    expect(parseSearch('sk-0a1b2c3d.TheSecretPart')).toEqual({ partialKey: 'sk-0a1b2c3d', words: [] });
    expect(parseSearch('sk-0a1b billing')).toEqual({ partialKey: null, words: ['sk-0a1b', 'billing'] });
    expect(parseSearch('ÜBERSEE  Zahlung')).toEqual({ partialKey: null, words: ['übersee', 'zahlung'] });
    expect(parseSearch('e\u0301te\u0301')).toEqual({ partialKey: null, words: ['\u00e9t\u00e9'] });
    const key = { label: 'Zahlungsdienst Übersee 100%', partial_key: 'sk-0a1b2c3d' };
    expect(matchesSearch(parseSearch('übersee zahlung'), key)).toBe(true);
    expect(matchesSearch(parseSearch('100%'), key)).toBe(true);
    expect(matchesSearch(parseSearch('1_0'), key)).toBe(false); // _ is a character, not a wildcard
    expect(matchesSearch(parseSearch('2c3d'), key)).toBe(true); // a word may be in the partial key
    expect(matchesSearch(parseSearch('sk-2c3d'), key)).toBe(false); // a partial key is from its start
  });
});
