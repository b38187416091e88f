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
