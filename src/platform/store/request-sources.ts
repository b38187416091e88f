// What both stores do with a request log batch before writing it: each source (key, address, user
// agent) once, its requests counted, first and last seen, and its outcomes as bits. One upsert
// per source, however many of the batch's requests came from it.
import { outcomeBit } from '../../shared/request-log';
import type { RequestLogEntry } from './port';

export interface SourceTotals {
  keyRef: number;
  address: string;
  userAgent: string;
  first: number;
  last: number;
  count: number;
  outcomes: number;
}

/** A source's identity within a batch. */
export const sourceKeyOf = (keyRef: number, entry: RequestLogEntry): string =>
  `${keyRef}\u0000${entry.address}\u0000${entry.userAgent}`;

/** The batch's sources by sourceKeyOf, in the order of that key (one lock order for every server). */
export function sumSources(
  batch: readonly RequestLogEntry[],
  keyRefOf: (keyId: string) => number,
): Map<string, SourceTotals> {
  const totals = new Map<string, SourceTotals>();
  for (const entry of batch) {
    const keyRef = keyRefOf(entry.keyId);
    const id = sourceKeyOf(keyRef, entry);
    const seen = totals.get(id);
    if (seen) {
      seen.first = Math.min(seen.first, entry.at);
      seen.last = Math.max(seen.last, entry.at);
      seen.count++;
      seen.outcomes |= outcomeBit(entry.outcome);
    } else {
      const bit = outcomeBit(entry.outcome);
      totals.set(id, {
        keyRef,
        address: entry.address,
        userAgent: entry.userAgent,
        first: entry.at,
        last: entry.at,
        count: 1,
        outcomes: bit,
      });
    }
  }
  return new Map([...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
