// What makes a label unhelpful, from the platform's best-practice guidance: generic names that say
// nothing about where the key is used, and labels that read as another's. Used by the create
// wizard and the audit alike.
import { skeleton } from './confusables';

const VAGUE = [
  /^test$/i,
  /^api[ -]?key( ?\d+)?$/i,
  /^my[ -]?key( ?\d+)?$/i,
  /^new[ -]?key( ?\d+)?$/i,
  /^key( ?\d+)?$/i,
];
export const MIN_LABEL_LENGTH = 4;

/**
 * A table by character code (0-127) of the lower-case letters a match of one of `patterns` can start
 * with, for a pre-filter that skips the patterns for most labels. Read from each pattern's source
 * (`^` then a letter), so a pattern added to the list is in the table; a pattern that can start
 * any other way opens the filter to every label (null).
 */
export function firstLetters(patterns: readonly RegExp[]): Uint8Array | null {
  const table = new Uint8Array(128);
  for (const pattern of patterns) {
    const letter = /^\^([A-Za-z])(?![*?{])/.exec(pattern.source)?.[1];
    if (letter === undefined) return null;
    table[letter.toLowerCase().charCodeAt(0)] = 1; // the filter looks at the label's first letter in lower case
  }
  return table;
}

/** The first letters a vague label can start with (see firstLetters). */
export const VAGUE_FIRST_LETTERS = firstLetters(VAGUE);

/** Why a label is vague, or null when it is descriptive enough. */
export function vagueLabelReason(label: string): string | null {
  const trimmed = label.trim();
  if (trimmed.length > 0 && trimmed.length < MIN_LABEL_LENGTH) return `"${trimmed}" is very short`;
  if (VAGUE.some((pattern) => pattern.test(trimmed))) return `"${trimmed}" does not say where the key is used`;
  return null;
}

/**
 * Two labels a reader takes for the same: equal but for case, or with the same confusable
 * skeleton (Unicode TS #39: "Billing prod" spelled with Cyrillic letters).
 */
export const sameLabel = (a: string, b: string): boolean =>
  a.trim().toLowerCase() === b.trim().toLowerCase() || skeleton(a.trim()) === skeleton(b.trim());

/** The forms sameLabel compares, for checking one label against many: equal `lower` or equal `skeleton`. */
export const labelForms = (label: string): { lower: string; skeleton: string } => ({
  lower: label.trim().toLowerCase(),
  skeleton: skeleton(label.trim()),
});
