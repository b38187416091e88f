// Both stores read a page of changed keys and a page of deletions, and merge them here.
import type { KeyChange } from './port';

/** Two lists in feed order merged, at most `limit`. */
export function mergeInFeedOrder(a: KeyChange[], b: KeyChange[], limit: number): KeyChange[] {
  const merged: KeyChange[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < limit && (i < a.length || j < b.length)) {
    const left = a[i];
    const right = b[j];
    const takeLeft =
      right === undefined ||
      (left !== undefined &&
        (left.position < right.position || (left.position === right.position && left.id < right.id)));
    merged.push(takeLeft ? (a[i++] as KeyChange) : (b[j++] as KeyChange));
  }
  return merged;
}
