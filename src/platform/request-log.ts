// The request log's side of the engine: requests queued by the writer, pruned past the retention
// a bounded step at a time, and read back a page at a time with their sources.
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import {
  type KeyUsePage,
  type LastUse,
  type ListKeyUseInput,
  type ListRequestsInput,
  listKeyUseSchema,
  listRequestsSchema,
  outcomesOf,
  type RequestPage,
  type RequestRecord,
  type RequestSource,
} from '../shared/request-log';
import { DAY_MS, isoToMs } from '../shared/utc-time';
import { parseOrThrow } from '../shared/validation';
import { RequestLogWriter } from './request-log-writer';
import type { PlatformStore, RequestLogEntry, RequestLogRow, RequestSourceRow } from './store/port';

/** How often pruning looks for requests past the retention when the last look found none. */
const PRUNE_EVERY_MS = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();
const ID = /^\d{1,15}$/;

export class RequestLog {
  private readonly writer: RequestLogWriter;
  private nextPruneAt = 0;

  constructor(
    private readonly store: PlatformStore,
    private readonly clock: Clock,
    private readonly retentionDays: number,
    maxAgeMs: number,
    onFlushError: (error: unknown) => void,
  ) {
    this.writer = new RequestLogWriter(store, maxAgeMs, onFlushError);
  }

  /** Requests left out because the queue was full (the store slow or down). */
  get dropped(): number {
    return this.writer.dropped;
  }

  record(entry: RequestLogEntry): void {
    this.writer.record(entry);
  }

  /** Writes what is queued, then takes one pruning step when one is due. */
  async flush(): Promise<void> {
    await this.writer.flush();
    const now = this.clock.now();
    if (now < this.nextPruneAt) return;
    const pruned = await this.store.transaction((tx) => tx.requestLog.prune(now - this.retentionDays * DAY_MS));
    // More may be left: go on at the next flush; else look again in a minute.
    this.nextPruneAt = pruned > 0 ? 0 : now + PRUNE_EVERY_MS;
  }

  /** A key's requests, newest first, a page at a time. */
  async list(keyId: string, input: ListRequestsInput): Promise<RequestPage> {
    const query = parseOrThrow(listRequestsSchema, input);
    if (query.cursor !== undefined && !ID.test(query.cursor)) {
      throw new AppError('invalid_request', 'cursor: is not a next_cursor this list gave');
    }
    if (query.source !== undefined && !ID.test(query.source)) {
      throw new AppError('invalid_request', 'source: is not a source id of this key');
    }
    await this.writer.flush(); // what was answered before this request is in the page
    const rows = await this.store.requestLog.list(keyId, {
      since: query.since === undefined ? null : isoToMs(query.since),
      until: query.until === undefined ? null : isoToMs(query.until),
      outcome: query.outcome ?? null,
      sourceId: query.source === undefined ? null : Number(query.source),
      beforeId: query.cursor === undefined ? null : Number(query.cursor),
      limit: query.limit + 1,
    });
    const more = rows.length > query.limit;
    if (more) rows.length = query.limit;
    return { data: rows.map(toRecord), next_cursor: more ? String(rows[rows.length - 1]?.id) : null };
  }

  /** The key's last served request (null when the log holds none: never used over HTTP, or pruned). */
  async lastUse(keyId: string): Promise<LastUse | null> {
    await this.writer.flush();
    const [row] = await this.store.requestLog.list(keyId, {
      since: null,
      until: null,
      outcome: 'ok',
      sourceId: null,
      beforeId: null,
      limit: 1,
    });
    return row
      ? { at: iso(row.at), address: row.address, user_agent: row.user_agent, method: row.method, route: row.route }
      : null;
  }

  /**
   * The use of the keys of `accountIds` (null: every key) that have a source, in key id order, a
   * page at a time: what the audit's activity rules read.
   */
  async keyUse(accountIds: readonly string[] | null, input: ListKeyUseInput): Promise<KeyUsePage> {
    const query = parseOrThrow(listKeyUseSchema, input);
    await this.writer.flush();
    const rows = await this.store.requestLog.keyUse({
      since: isoToMs(query.since),
      accountIds,
      afterKeyId: query.cursor ?? null,
      limit: query.limit + 1,
    });
    const more = rows.length > query.limit;
    if (more) rows.length = query.limit;
    return {
      data: rows.map((row) => ({
        key_id: row.key_id,
        first_source_at: iso(row.first_source_at),
        newest_source_at: iso(row.newest_source_at),
        recent_sources: row.recent_sources,
        refused_attempts: row.refused_attempts,
      })),
      next_cursor: more ? (rows[rows.length - 1]?.key_id ?? null) : null,
    };
  }

  /** A key's sources, most recently seen first. */
  async sources(keyId: string): Promise<RequestSource[]> {
    await this.writer.flush();
    return (await this.store.requestLog.sources(keyId)).map(toSource);
  }
}

const toRecord = (row: RequestLogRow): RequestRecord => ({
  id: String(row.id),
  at: iso(row.at),
  method: row.method,
  route: row.route,
  status: row.status,
  outcome: row.outcome,
  account_id: row.account_id,
  address: row.address,
  user_agent: row.user_agent,
  source_id: String(row.source_id),
  request_id: row.request_id,
});

const toSource = (row: RequestSourceRow): RequestSource => ({
  id: String(row.id),
  address: row.address,
  user_agent: row.user_agent,
  first_seen: iso(row.first_seen),
  last_seen: iso(row.last_seen),
  count: row.count,
  outcomes: outcomesOf(row.outcomes),
});
