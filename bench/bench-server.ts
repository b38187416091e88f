// npm run bench:server — the cost of authentication over HTTP. Runs autocannon on loopback against
// an authenticated GET and against the same route on a server with auth switched off, alternating
// rounds in one run, and prints requests per second and p99 latency of each and their ratio
// (target: auth_vs_noauth >= 0.9). Then creates with an Idempotency-Key against plain ones
// (idempotent_create_vs_plain, target >= 0.8).
//
// npm run bench:server -- --store postgres — the same authenticated GET on a server over a
// throwaway PostgreSQL cluster against one over SQLite, in alternating rounds (target: pg_vs_sqlite
// >= 0.6), and auth_vs_noauth on PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildSync } from 'esbuild';
import { generateKey } from '../src/shared/key-format';
import { pgUrl, startPostgres } from '../test/support/postgres';

type Server = { child: ChildProcess; url: string; key: string };
type Run = { rps: number; p99: number };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
const PATH = '/v1/accounts/me/api-keys?limit=10';
/** A request the bench sends: the key list, or a service asking the platform to verify a key. */
type Route = { method: 'GET' | 'POST'; path: string; body?: (key: string) => string };
const LIST: Route = { method: 'GET', path: PATH };
const VERIFY: Route = { method: 'POST', path: '/v1/keys/verify', body: (key) => JSON.stringify({ key }) };
const describeRoute = (route: Route) => `${route.method} ${route.path}`;
// Enough connections to keep the server busy, so the ratio measures its work, not round trips.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

// The server as it ships: bundled, as `npm run build:cli` bundles `keyhold serve` (under tsx every
// call between modules goes through a getter, which weighs on the many small calls of
// authentication and nowhere in the product).
const SERVER_BUNDLE = resolve(__dirname, '../out/bench/server-process.cjs');
buildSync({
  entryPoints: [resolve(__dirname, 'server-process.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
  outfile: SERVER_BUNDLE,
});

function start(db: string, mode: 'auth' | 'noauth'): Promise<Server> {
  // Pinned to the second core where taskset exists, so server and load generator do not trade places.
  const args = [SERVER_BUNDLE, db, mode];
  const pinned = existsSync('/usr/bin/taskset') && cpus().length > 1;
  const node = process.execPath;
  const child = spawn(pinned ? '/usr/bin/taskset' : node, pinned ? ['-c', '1', node, ...args] : args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const ready = /READY (\S+) (\S+)/.exec(out);
      if (ready) done({ child, url: ready[1] as string, key: ready[2] as string });
    });
    child.on('exit', (code) => fail(new Error(`bench server (${mode}) exited with ${code}`)));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

// Both servers of a pair get the same request bytes (an auth-off one ignores the header), so the
// load generator does the same work for each and the ratio is the servers' difference.
async function measure(target: Server, route: Route = LIST): Promise<Run> {
  const result = await autocannon({
    url: `${target.url}${route.path}`,
    method: route.method,
    connections: CONNECTIONS,
    pipelining: Number(process.env.PIPE ?? 1),
    duration: DURATION,
    headers: {
      authorization: `Bearer ${target.key}`,
      ...(route.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(route.body ? { body: route.body(target.key) } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

/**
 * Rounds alternate which server goes first; the ratio is taken within each round (the two
 * measurements closest in time), then the median across rounds, so drift on a shared machine
 * cancels out.
 */
async function compare(a: Server, b: Server, route: Route = LIST): Promise<{ a: Run; b: Run; ratios: number[] }> {
  const runs = { a: [] as Run[], b: [] as Run[] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    for (const which of order) runs[which].push(await measure(which === 'a' ? a : b, route));
    ratios.push((runs.a[round]?.rps ?? 0) / (runs.b[round]?.rps ?? 1));
  }
  const summary = (list: Run[]) => ({ rps: median(list.map((r) => r.rps)), p99: median(list.map((r) => r.p99)) });
  return { a: summary(runs.a), b: summary(runs.b), ratios };
}

const line = (name: string, run: Run) =>
  console.log(`${name.padEnd(22)}${Math.round(run.rps)} req/s   p99 ${run.p99} ms`);

/** --store postgres: SQLite and PostgreSQL servers, authenticated, and PostgreSQL without auth. */
async function comparePostgres(dir: string): Promise<void> {
  // As an operator would run it: durable commits (fsync on), on a Unix socket.
  const cluster = startPostgres();
  const servers: Server[] = [];
  try {
    const url = (name: string) => pgUrl(cluster, name);
    const admin = await import('pg').then(({ default: pg }) => new pg.Pool({ connectionString: url('postgres') }));
    for (const name of ['bench_auth', 'bench_noauth']) await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    servers.push(
      ...(await Promise.all([
        start(join(dir, 'auth.db'), 'auth'),
        start(url('bench_auth'), 'auth'),
        start(url('bench_noauth'), 'noauth'),
      ])),
    );
    const [sqlite, pg, pgNoauth] = servers as [Server, Server, Server];
    for (const server of servers) {
      // Warm up: JIT, page caches, verification caches.
      await measure(server, LIST);
      await measure(server, VERIFY);
    }
    console.log(`${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per pair (medians)`);
    const ratioLine = (name: string, ratios: number[]) =>
      console.log(`${name} per round: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
    // Verified requests: what every server does for every client (authenticate the caller, then
    // answer from the verification cache), the figure the store decides.
    const verified = await compare(pg, sqlite, VERIFY);
    console.log(describeRoute(VERIFY));
    line('  SQLite', verified.b);
    line('  PostgreSQL', verified.a);
    ratioLine('  pg vs sqlite', verified.ratios);
    // A request that also reads the store (two queries on PostgreSQL).
    const listed = await compare(pg, sqlite, LIST);
    const auth = await compare(pg, pgNoauth, LIST);
    console.log(describeRoute(LIST));
    line('  SQLite, auth', listed.b);
    line('  PostgreSQL, auth', listed.a);
    line('  PostgreSQL, no auth', auth.b);
    ratioLine('  pg vs sqlite', listed.ratios);
    ratioLine('  auth vs no auth (PostgreSQL)', auth.ratios);
    console.log(
      `RESULT pg_vs_sqlite=${median(verified.ratios).toFixed(3)} auth_vs_noauth=${median(auth.ratios).toFixed(3)} ` +
        `pg_vs_sqlite_list=${median(listed.ratios).toFixed(3)}`,
    );
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    cluster.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { store: { type: 'string', default: 'sqlite' } } });
  if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error('--store sqlite|postgres');
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-server-'));
  if (values.store === 'postgres') {
    try {
      await comparePostgres(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const servers = await Promise.all([start(join(dir, 'auth.db'), 'auth'), start(join(dir, 'noauth.db'), 'noauth')]);
  const [auth, noauth] = servers;
  try {
    await measure(auth); // warm up both: JIT, SQLite page cache, verification cache
    await measure(noauth);
    const { a, b: n, ratios } = await compare(auth, noauth);
    console.log(`GET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s each (medians)`);
    line('with auth', a);
    line('without auth', n);
    console.log(`ratio per round: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
    // Failed authentications: a known public id with a wrong secret, and a public id nobody holds.
    // Both answer 401; the ratio is time per unknown-id request over time per wrong-secret one.
    const publicId = auth.key.slice(3, 11);
    const random = (size: number) => randomBytes(size);
    const wrongSecret = generateKey(publicId, random);
    const unknownId = generateKey(publicId === 'ffffffff' ? 'fffffffe' : 'ffffffff', random);
    const refused = async (key: string) => {
      const result = await autocannon({
        url: `${auth.url}${PATH}`,
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { authorization: `Bearer ${key}` },
      });
      if (result['4xx'] !== result.requests.total || result.errors > 0)
        throw new Error('a wrong key was not refused with 401');
      return result.requests.average;
    };
    await refused(wrongSecret);
    await refused(unknownId);
    const failureRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rates = { wrong: 0, unknown: 0 };
      if (round % 2 === 0) {
        rates.wrong = await refused(wrongSecret);
        rates.unknown = await refused(unknownId);
      } else {
        rates.unknown = await refused(unknownId);
        rates.wrong = await refused(wrongSecret);
      }
      failureRatios.push(rates.wrong / rates.unknown);
    }
    console.log(`401s, unknown id vs wrong secret, per round: ${failureRatios.map((r) => r.toFixed(3)).join(' ')}`);
    // Creates with an Idempotency-Key (a new one each, as the SDK sends) against plain creates:
    // the claim and the sealed answer are what a create pays for being safe to retry.
    const creates = async (idempotent: boolean) => {
      let made = 0;
      const result = await autocannon({
        url: `${auth.url}/v1/accounts/me/api-keys`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { authorization: `Bearer ${auth.key}`, 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ label: `Bench create ${made++}` }),
              headers: { ...request.headers, ...(idempotent ? { 'idempotency-key': randomUUID() } : {}) },
            }),
          },
        ],
      });
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors`);
      return result.requests.average;
    };
    await creates(true);
    const createRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [true, false] : [false, true];
      const rates = new Map<boolean, number>();
      for (const idempotent of order) rates.set(idempotent, await creates(idempotent));
      createRatios.push((rates.get(true) ?? 0) / (rates.get(false) ?? 1));
    }
    console.log(`POST …/api-keys, idempotent vs plain, per round: ${createRatios.map((r) => r.toFixed(3)).join(' ')}`);
    console.log(
      `RESULT auth_vs_noauth=${median(ratios).toFixed(3)} unknown_vs_wrong_secret=${median(failureRatios).toFixed(3)} ` +
        `idempotent_create_vs_plain=${median(createRatios).toFixed(3)}`,
    );
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
