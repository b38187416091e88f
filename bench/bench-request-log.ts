// npm run bench:request-log — the request log at size, on SQLite: 1,000,000 requests over 100 keys
// appended in the writer's batches, then bytes on disk per request and the time of the first page
// of one key's requests with its sources (what the app's review step asks first). Last line:
// RESULT request_log_bytes_per_request=<x> request_page_ms=<y> (targets: under 200; under 200).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestLogEntry } from '../src/platform/store/port';
import { SqliteStore } from '../src/platform/store/sqlite/sqlite-store';
import { REQUEST_OUTCOMES } from '../src/shared/request-log';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const KEYS = 100;
const BATCH = 1000;
const ROUTES = ['/v1/accounts/:accountId', '/v1/accounts/:accountId/api-keys', '/v1/accounts/:accountId/agents'];
const START = Date.parse('2026-06-01T00:00:00Z');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-log-'));
  const file = join(dir, 'log.db');
  try {
    const store = SqliteStore.open(file);
    const pageBytes = () =>
      (store.db.pragma('page_count', { simple: true }) as number) *
      (store.db.pragma('page_size', { simple: true }) as number);
    const before = pageBytes();
    const started = performance.now();
    for (let done = 0; done < REQUESTS; done += BATCH) {
      const batch: RequestLogEntry[] = [];
      for (let i = done; i < done + BATCH && i < REQUESTS; i++) {
        const key = i % KEYS;
        batch.push({
          at: START + i * 250, // four a second: 1,000,000 requests over about 12 days
          keyId: `key_${key.toString(16).padStart(16, '0')}`,
          accountId: i % 10 === 0 ? 'acc_00000000000000ab' : null,
          method: 'GET',
          route: ROUTES[i % ROUTES.length] as string,
          status: i % 50 === 0 ? 401 : 200,
          outcome: i % 50 === 0 ? 'wrong_secret' : (REQUEST_OUTCOMES[0] as 'ok'),
          // A few machines per key, as services behind a handful of hosts are.
          address: `10.0.${key}.${i % 4}`,
          userAgent: i % 4 === 3 ? 'curl/8.5.0' : 'keyhold-sdk/0.1 node/20.19.0',
          requestId: `req_${(i * 2654435761).toString(16).padStart(16, '0').slice(-16)}`,
        });
      }
      await store.transaction((tx) => tx.requestLog.append(batch));
    }
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const appendSeconds = (performance.now() - started) / 1000;
    const bytesPerRequest = (pageBytes() - before) / REQUESTS;

    const times: number[] = [];
    for (let round = 0; round < 21; round++) {
      const keyId = `key_${(round % KEYS).toString(16).padStart(16, '0')}`;
      const t = performance.now();
      const page = await store.requestLog.list(keyId, {
        since: null,
        until: null,
        outcome: null,
        sourceId: null,
        beforeId: null,
        limit: 101,
      });
      const sources = await store.requestLog.sources(keyId);
      times.push(performance.now() - t);
      if (page.length !== 101 || sources.length === 0) throw new Error('the page came back short');
    }
    await store.close();
    console.log(
      `appended ${REQUESTS.toLocaleString('en-US')} requests over ${KEYS} keys in ${appendSeconds.toFixed(1)} s ` +
        `(${Math.round(REQUESTS / appendSeconds).toLocaleString('en-US')}/s); file ${(statSync(file).size / 1e6).toFixed(1)} MB`,
    );
    console.log(
      `RESULT request_log_bytes_per_request=${bytesPerRequest.toFixed(1)} request_page_ms=${median(times).toFixed(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
