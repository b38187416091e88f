// The request log on PostgreSQL: a batch is a few statements whatever its size (arrays through
// unnest), into one partition per UTC day; pruning drops the days older than the retention.
import { REQUEST_OUTCOMES, type RequestOutcome } from '../../../shared/request-log';
import { DAY_MS } from '../../../shared/utc-time';
import type {
  KeyUseQuery,
  KeyUseRow,
  RequestLogEntry,
  RequestLogQuery,
  RequestLogRow,
  RequestLogStore,
  RequestSourceRow,
} from '../port';
import { KEY_USE_COLUMNS, REFUSED, sourceKeyOf, sumSources } from '../request-sources';
import type { Queryable } from './repos';

const rows = async <R extends object>(q: Queryable, text: string, values: unknown[] = []) =>
  (await q.query<R>({ text, values })).rows;

/** Numbers arrive as text for BIGINT: these columns fit in a double. */
const SOURCE_COLUMNS = `s.id::float8 AS id, k.key_id, s.address, s.user_agent, s.first_seen::float8 AS first_seen,
  s.last_seen::float8 AS last_seen, s.count::float8 AS count, s.outcomes`;

export class PgRequestLog implements RequestLogStore {
  constructor(private readonly q: Queryable) {}

  async append(batch: readonly RequestLogEntry[]) {
    if (batch.length === 0) return;
    const days = [...new Set(batch.map((entry) => Math.floor(entry.at / DAY_MS) * DAY_MS))];
    await rows(this.q, 'SELECT keyhold_request_log_day(day) FROM unnest($1::bigint[]) AS day', [days]);

    const keyIds = [...new Set(batch.map((entry) => entry.keyId))].sort();
    await rows(this.q, 'INSERT INTO request_keys (key_id) SELECT unnest($1::text[]) ON CONFLICT (key_id) DO NOTHING', [
      keyIds,
    ]);
    const keyRefs = new Map(
      (
        await rows<{ ref: number; key_id: string }>(
          this.q,
          'SELECT ref::float8 AS ref, key_id FROM request_keys WHERE key_id = ANY($1::text[])',
          [keyIds],
        )
      ).map((row) => [row.key_id, row.ref]),
    );

    const routeNames = [...new Set(batch.map((entry) => `${entry.method} ${entry.route}`))].sort();
    const methods = routeNames.map((name) => name.slice(0, name.indexOf(' ')));
    const paths = routeNames.map((name) => name.slice(name.indexOf(' ') + 1));
    await rows(
      this.q,
      `INSERT INTO request_routes (method, route) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (method, route) DO NOTHING`,
      [methods, paths],
    );
    const routeIds = new Map(
      (
        await rows<{ id: number; method: string; route: string }>(
          this.q,
          `SELECT r.id, r.method, r.route FROM request_routes r
             JOIN unnest($1::text[], $2::text[]) AS w(method, route) ON w.method = r.method AND w.route = r.route`,
          [methods, paths],
        )
      ).map((row) => [`${row.method} ${row.route}`, row.id]),
    );

    // One row per source of the batch (an upsert may not touch a row twice), in a fixed order so
    // two servers' batches wait for each other instead of deadlocking.
    const refOf = (keyId: string) => keyRefs.get(keyId) as number;
    const sources = [...sumSources(batch, refOf).values()];
    const sourceIds = new Map(
      (
        await rows<{ id: number; key_ref: number; address: string; user_agent: string }>(
          this.q,
          `INSERT INTO request_sources AS s (key_ref, address, user_agent, first_seen, last_seen, count, outcomes)
             SELECT key_ref, address, user_agent, first_seen, last_seen, count, outcomes
               FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::int[])
                 WITH ORDINALITY AS u(key_ref, address, user_agent, first_seen, last_seen, count, outcomes, n)
              ORDER BY n
           ON CONFLICT (key_ref, address, user_agent) DO UPDATE SET
             first_seen = LEAST(s.first_seen, EXCLUDED.first_seen), last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen),
             count = s.count + EXCLUDED.count, outcomes = s.outcomes | EXCLUDED.outcomes
           RETURNING s.id::float8 AS id, s.key_ref::float8 AS key_ref, s.address, s.user_agent`,
          [
            sources.map((s) => s.keyRef),
            sources.map((s) => s.address),
            sources.map((s) => s.userAgent),
            sources.map((s) => s.first),
            sources.map((s) => s.last),
            sources.map((s) => s.count),
            sources.map((s) => s.outcomes),
          ],
        )
      ).map((row) => [`${row.key_ref}\u0000${row.address}\u0000${row.user_agent}`, row.id]),
    );

    await rows(
      this.q,
      `INSERT INTO request_log (key_ref, at, source_id, route_id, status, outcome, account_id, request_id)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::smallint[], $6::smallint[],
           $7::text[], $8::text[])`,
      [
        batch.map((entry) => refOf(entry.keyId)),
        batch.map((entry) => entry.at),
        batch.map((entry) => sourceIds.get(sourceKeyOf(refOf(entry.keyId), entry))),
        batch.map((entry) => routeIds.get(`${entry.method} ${entry.route}`)),
        batch.map((entry) => entry.status),
        batch.map((entry) => REQUEST_OUTCOMES.indexOf(entry.outcome)),
        batch.map((entry) => entry.accountId),
        batch.map((entry) => entry.requestId),
      ],
    );
  }

  async list(keyId: string, query: RequestLogQuery): Promise<RequestLogRow[]> {
    const values: unknown[] = [keyId];
    const param = (value: unknown) => `$${values.push(value)}`;
    const where = ['l.key_ref = (SELECT ref FROM request_keys WHERE key_id = $1)'];
    if (query.beforeId !== null) where.push(`l.id < ${param(query.beforeId)}`);
    if (query.since !== null) where.push(`l.at >= ${param(query.since)}`);
    if (query.until !== null) where.push(`l.at < ${param(query.until)}`);
    if (query.outcome !== null) where.push(`l.outcome = ${param(REQUEST_OUTCOMES.indexOf(query.outcome))}`);
    if (query.sourceId !== null) where.push(`l.source_id = ${param(query.sourceId)}`);
    const found = await rows<Omit<RequestLogRow, 'outcome'> & { outcome: number }>(
      this.q,
      `SELECT l.id::float8 AS id, l.at::float8 AS at, $1::text AS key_id, l.account_id, r.method, r.route, l.status,
              l.outcome, s.address, s.user_agent, l.source_id::float8 AS source_id, l.request_id
         FROM request_log l
         JOIN request_routes r ON r.id = l.route_id
         JOIN request_sources s ON s.id = l.source_id
        WHERE ${where.join(' AND ')}
        ORDER BY l.id DESC LIMIT ${param(query.limit)}`,
      values,
    );
    return found.map((row) => ({ ...row, outcome: REQUEST_OUTCOMES[row.outcome] as RequestOutcome }));
  }

  sources(keyId: string) {
    return rows<RequestSourceRow>(
      this.q,
      `SELECT ${SOURCE_COLUMNS} FROM request_sources s JOIN request_keys k ON k.ref = s.key_ref
        WHERE k.key_id = $1 ORDER BY s.last_seen DESC, s.id DESC`,
      [keyId],
    );
  }

  /** Drops every day partition wholly before `before`: a request is kept at least the retention. */
  async prune(before: number) {
    const days = await rows<{ name: string }>(
      this.q,
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'request_log'::regclass`,
    );
    let dropped = 0;
    for (const { name } of days) {
      const day = Number(/^request_log_d(\d+)$/.exec(name)?.[1]);
      if (!Number.isInteger(day) || (day + 1) * DAY_MS > before) continue;
      await rows(this.q, `DROP TABLE IF EXISTS ${name}`); // the name matched digits only
      dropped++;
    }
    return dropped;
  }

  async keyUse(query: KeyUseQuery): Promise<KeyUseRow[]> {
    return rows<KeyUseRow>(
      this.q,
      `SELECT ${KEY_USE_COLUMNS.postgres}
         FROM request_keys k
         JOIN api_keys a ON a.id = k.key_id
         JOIN request_sources s ON s.key_ref = k.ref
        WHERE k.key_id > $4 AND ($5::text[] IS NULL OR a.account_id = ANY($5::text[]))
        GROUP BY k.ref, k.key_id ORDER BY k.key_id LIMIT $6`,
      [query.since, REFUSED.bits, REFUSED.counted, query.afterKeyId ?? '', query.accountIds, query.limit],
    );
  }
}
