// What both stores do with a request log batch before writing it: each source (key, address, user
// agent) once, its requests counted, first and last seen, and its outcomes as bits. One upsert
// per source, however many of the batch's requests came from it.
import { outcomeBit, REFUSED_ATTEMPTS_COUNTED, REQUEST_OUTCOMES } from '../../shared/request-log';
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

/** The outcomes of a key presented after its revocation or expiry: the audit's refused attempts. */
export const REFUSED = {
  bits: outcomeBit('revoked') | outcomeBit('expired'),
  codes: `${REQUEST_OUTCOMES.indexOf('revoked')}, ${REQUEST_OUTCOMES.indexOf('expired')}`,
  counted: REFUSED_ATTEMPTS_COUNTED,
};

/**
 * A key's use (KeyUseRow) from its sources `s` and request key `k`, grouped by key, in each
 * dialect: SQLite names its parameters (@since, @refusedBits, @cap), PostgreSQL numbers them
 * ($1 since, $2 refused bits, $3 cap). The requests are counted only for a key with a recent
 * refused source, and at most `cap` of them: the cost stays bounded whatever a botnet sends.
 */
export const KEY_USE_COLUMNS = {
  sqlite: `k.key_id,
    MIN(s.first_seen) AS first_source_at,
    MAX(s.first_seen) AS newest_source_at,
    SUM(s.last_seen >= @since) AS recent_sources,
    CASE WHEN MAX(s.last_seen >= @since AND (s.outcomes & @refusedBits) != 0) THEN
      (SELECT count(*) FROM (SELECT 1 FROM request_log l
         WHERE l.key_ref = k.ref AND l.at >= @since AND l.outcome IN (${REFUSED.codes}) LIMIT @cap))
    ELSE 0 END AS refused_attempts`,
  postgres: `k.key_id,
    MIN(s.first_seen)::float8 AS first_source_at,
    MAX(s.first_seen)::float8 AS newest_source_at,
    (count(*) FILTER (WHERE s.last_seen >= $1))::int AS recent_sources,
    CASE WHEN bool_or(s.last_seen >= $1 AND (s.outcomes & $2) <> 0) THEN
      (SELECT count(*) FROM (SELECT 1 FROM request_log l
         WHERE l.key_ref = k.ref AND l.at >= $1 AND l.outcome IN (${REFUSED.codes}) LIMIT $3) c)::int
    ELSE 0 END AS refused_attempts`,
};
