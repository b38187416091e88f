// What makes a label unhelpful, from the platform's best-practice guidance: generic names that say
// nothing about where the key is used. Used by the create wizard and the audit alike.

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

/** Same label in the same account, compared case-insensitively. */
export const sameLabel = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
