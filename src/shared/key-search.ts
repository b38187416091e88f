// What a search of keys means, in one place: the HTTP API on both stores (store/key-list.ts turns
// it into SQL), `keyhold keys list --search`, the window's table and its command palette.
//
// - A partial key (`sk-1a2b`, any case, or a pasted whole key, whose secret is ignored): the keys
//   whose partial key starts with it.
// - Anything else: words, split at white space, that must each appear, in any order, in the key's
//   label or its partial key. Case is folded with the same function on both sides (JavaScript's
//   toLowerCase, so "übersee" finds "Übersee"); nothing else is (no accents, no wildcards: `%`
//   and `_` are letters like any other).
// test/integration/engine/search-property.test.ts holds the stores and the window to this.
import { PARTIAL_KEY_START_SOURCE } from './key-format';

export interface ParsedSearch {
  /** `sk-` and the start of a public id, lower case; null for a search by words. */
  partialKey: string | null;
  /** The folded words, each of which must appear; empty: every key. */
  words: string[];
}

/** Case folded for searching: applied to labels where they are stored and to what is searched for. */
export const foldForSearch = (text: string): string => text.toLowerCase();

/** What a search looks through in a key, folded: its label, a line break, its partial key. */
export const haystackOf = (key: { label: string; partial_key: string }): string =>
  `${foldForSearch(key.label)}\n${key.partial_key}`;

const PARTIAL_KEY_START = new RegExp(`^(${PARTIAL_KEY_START_SOURCE})(?:\\.|$)`);

export function parseSearch(search: string): ParsedSearch {
  // NFC as the labels are stored (the API's q is already): a search typed as NFD finds them too.
  const query = foldForSearch(search.normalize('NFC').trim());
  const partial = PARTIAL_KEY_START.exec(query)?.[1];
  if (partial !== undefined) return { partialKey: partial, words: [] };
  return { partialKey: null, words: searchWords(query) };
}

/** The folded words of a search, for "all of them, in any order" (hasEvery). */
export const searchWords = (search: string): string[] =>
  foldForSearch(search.normalize('NFC'))
    .split(/\s+/)
    .filter((word) => word !== '');

/** Every word appears in the haystack. */
export function hasEvery(haystack: string, words: string[]): boolean {
  for (const word of words) if (!haystack.includes(word)) return false;
  return true;
}

/** The specification, one key at a time (the window and the stores use faster forms of it). */
export function matchesSearch(search: ParsedSearch, key: { label: string; partial_key: string }): boolean {
  if (search.partialKey !== null) return key.partial_key.startsWith(search.partialKey);
  return hasEvery(haystackOf(key), search.words);
}
