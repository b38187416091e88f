// The request log on SQLite: appends in the writer's batches, a key's requests newest first by
// keyset on the row id, and pruning a bounded step at a time (rows are appended in time order, so
// the oldest are the lowest ids).
import { REQUEST_OUTCOMES, type RequestOutcome } from '../../../shared/request-log';
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
import type { Db } from './database';

/** Rows deleted per prune step: short enough never to hold the write lock for long. */
const PRUNE_STEP = 2000;

type StoredRow = Omit<RequestLogRow, 'outcome'> & { outcome: number };

export class SqliteRequestLog implements RequestLogStore {
  private readonly keyRef;
  private readonly addKey;
  private readonly routeId;
  private readonly addRoute;
  private readonly addSource;
  private readonly insert;
  private readonly sourcesOf;
  private readonly pruneStep;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.keyRef = db.prepare<[string], number>('SELECT ref FROM request_keys WHERE key_id = ?').pluck();
    this.addKey = db.prepare<[string], number>('INSERT INTO request_keys (key_id) VALUES (?) RETURNING ref').pluck();
    this.routeId = db
      .prepare<[string, string], number>('SELECT id FROM request_routes WHERE method = ? AND route = ?')
      .pluck();
    this.addRoute = db
      .prepare<[string, string], number>('INSERT INTO request_routes (method, route) VALUES (?, ?) RETURNING id')
      .pluck();
    this.addSource = db
      .prepare<[number, string, string, number, number, number, number], number>(
        `INSERT INTO request_sources (key_ref, address, user_agent, first_seen, last_seen, count, outcomes)
           VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key_ref, address, user_agent) DO UPDATE SET
           first_seen = MIN(first_seen, excluded.first_seen), last_seen = MAX(last_seen, excluded.last_seen),
           count = count + excluded.count, outcomes = outcomes | excluded.outcomes
         RETURNING id`,
      )
      .pluck();
    this.insert = db.prepare<[number, number, number, number, number, number, string | null, string]>(
      `INSERT INTO request_log (key_ref, at, source_id, route_id, status, outcome, account_id, request_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.sourcesOf = db.prepare<[string], RequestSourceRow>(
      `SELECT s.id, k.key_id, s.address, s.user_agent, s.first_seen, s.last_seen, s.count, s.outcomes
         FROM request_sources s JOIN request_keys k ON k.ref = s.key_ref
        WHERE k.key_id = ? ORDER BY s.last_seen DESC, s.id DESC`,
    );
    // Among the oldest rows by id only (rows arrive in time order, give or take a batch): a step
    // reads at most PRUNE_STEP rows, however large the log and however little is due.
    this.pruneStep = db.prepare<[number, number]>(
      `DELETE FROM request_log WHERE id IN
         (SELECT id FROM (SELECT id, at FROM request_log ORDER BY id LIMIT ?) WHERE at < ?)`,
    );
  }

  async append(batch: readonly RequestLogEntry[]) {
    const keys = new Map<string, number>();
    const routes = new Map<string, number>();
    const keyRefOf = (keyId: string) => {
      let ref = keys.get(keyId);
      if (ref === undefined) {
        ref = this.keyRef.get(keyId) ?? (this.addKey.get(keyId) as number);
        keys.set(keyId, ref);
      }
      return ref;
    };
    // Each source once per batch (most requests of a batch come from a few clients).
    const sourceIds = new Map<string, number>();
    for (const [sourceKey, source] of sumSources(batch, keyRefOf)) {
      sourceIds.set(
        sourceKey,
        this.addSource.get(
          source.keyRef,
          source.address,
          source.userAgent,
          source.first,
          source.last,
          source.count,
          source.outcomes,
        ) as number,
      );
    }
    for (const entry of batch) {
      const routeKey = `${entry.method} ${entry.route}`;
      let routeId = routes.get(routeKey);
      if (routeId === undefined) {
        routeId =
          this.routeId.get(entry.method, entry.route) ?? (this.addRoute.get(entry.method, entry.route) as number);
        routes.set(routeKey, routeId);
      }
      const keyRef = keyRefOf(entry.keyId);
      this.insert.run(
        keyRef,
        entry.at,
        sourceIds.get(sourceKeyOf(keyRef, entry)) as number,
        routeId,
        entry.status,
        REQUEST_OUTCOMES.indexOf(entry.outcome),
        entry.accountId,
        entry.requestId,
      );
    }
  }

  async list(keyId: string, query: RequestLogQuery): Promise<RequestLogRow[]> {
    const where = ['l.key_ref = (SELECT ref FROM request_keys WHERE key_id = @keyId)'];
    const params: Record<string, unknown> = { keyId, limit: query.limit };
    if (query.beforeId !== null) {
      where.push('l.id < @beforeId');
      params.beforeId = query.beforeId;
    }
    if (query.since !== null) {
      where.push('l.at >= @since');
      params.since = query.since;
    }
    if (query.until !== null) {
      where.push('l.at < @until');
      params.until = query.until;
    }
    if (query.outcome !== null) {
      where.push('l.outcome = @outcome');
      params.outcome = REQUEST_OUTCOMES.indexOf(query.outcome);
    }
    if (query.sourceId !== null) {
      where.push('l.source_id = @sourceId');
      params.sourceId = query.sourceId;
    }
    const rows = this.db
      .prepare<[Record<string, unknown>], StoredRow>(
        `SELECT l.id, l.at, @keyId AS key_id, l.account_id, r.method, r.route, l.status, l.outcome,
                s.address, s.user_agent, l.source_id, l.request_id
           FROM request_log l
           JOIN request_routes r ON r.id = l.route_id
           JOIN request_sources s ON s.id = l.source_id
          WHERE ${where.join(' AND ')}
          ORDER BY l.id DESC LIMIT @limit`,
      )
      .all(params);
    return rows.map((row) => ({ ...row, outcome: REQUEST_OUTCOMES[row.outcome] as RequestOutcome }));
  }

  async sources(keyId: string) {
    return this.sourcesOf.all(keyId);
  }

  async prune(before: number) {
    return this.pruneStep.run(PRUNE_STEP, before).changes;
  }

  // Keys walked in id order through request_keys' unique index, each with its sources; the
  // refused attempts are counted only for a key with a recent source that was refused.
  async keyUse(query: KeyUseQuery): Promise<KeyUseRow[]> {
    const accounts = query.accountIds === null ? '' : 'AND a.account_id IN (SELECT value FROM json_each(@accounts))';
    return this.db
      .prepare<[Record<string, unknown>], KeyUseRow>(
        `SELECT ${KEY_USE_COLUMNS.sqlite}
           FROM request_keys k
           JOIN api_keys a ON a.id = k.key_id
           JOIN request_sources s ON s.key_ref = k.ref
          WHERE k.key_id > @after ${accounts}
          GROUP BY k.key_id ORDER BY k.key_id LIMIT @limit`,
      )
      .all({
        since: query.since,
        after: query.afterKeyId ?? '',
        limit: query.limit,
        refusedBits: REFUSED.bits,
        cap: REFUSED.counted,
        ...(query.accountIds === null ? {} : { accounts: JSON.stringify(query.accountIds) }),
      });
  }
}
