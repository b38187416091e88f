// npm run bench:server — the cost of authentication over HTTP. Runs autocannon on loopback against
// an authenticated GET and against the same route on a server with auth switched off, alternating
// rounds in one run, and prints requests per second and p99 latency of each and their ratio
// (target: auth_vs_noauth >= 0.85).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { generateKey } from '../src/shared/key-format';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const DURATION = Number(process.env.BENCH_SECONDS ?? 3);
const PATH = '/v1/accounts/me/api-keys?limit=10';
// Enough connections to keep the server busy, so the ratio measures its work, not round trips.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

function start(db: string, mode: 'auth' | 'noauth'): Promise<{ child: ChildProcess; url: string; key: string }> {
  // Pinned to the second core where taskset exists, so server and load generator do not trade places.
  const tsx = join(__dirname, '../node_modules/.bin/tsx');
  const args = [resolve(__dirname, 'server-process.ts'), db, mode];
  const pinned = existsSync('/usr/bin/taskset') && cpus().length > 1;
  const child = spawn(pinned ? '/usr/bin/taskset' : tsx, pinned ? ['-c', '1', tsx, ...args] : args, {
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-server-'));
  const servers = await Promise.all([start(join(dir, 'auth.db'), 'auth'), start(join(dir, 'noauth.db'), 'noauth')]);
  const [auth, noauth] = servers;
  try {
    // Both servers get the same request bytes (the auth-off one ignores the header), so the load
    // generator does the same work for each and the ratio is the server's cost of authenticating.
    const measure = async (target: typeof auth) => {
      const result = await autocannon({
        url: `${target.url}${PATH}`,
        connections: CONNECTIONS,
        pipelining: Number(process.env.PIPE ?? 1),
        duration: DURATION,
        headers: { authorization: `Bearer ${target.key}` },
      });
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors`);
      return { rps: result.requests.average, p99: result.latency.p99 };
    };
    await measure(auth); // warm up both: JIT, SQLite page cache, verification cache
    await measure(noauth);
    // Rounds alternate which server goes first; the ratio is taken within each round (the two
    // measurements closest in time), then the median across rounds, so drift on a shared machine
    // cancels out.
    const runs = { auth: [] as Array<{ rps: number; p99: number }>, noauth: [] as Array<{ rps: number; p99: number }> };
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['auth', 'noauth'] as const) : (['noauth', 'auth'] as const);
      for (const mode of order) runs[mode].push(await measure(mode === 'auth' ? auth : noauth));
      ratios.push((runs.auth[round]?.rps ?? 0) / (runs.noauth[round]?.rps ?? 1));
    }
    const summary = (mode: 'auth' | 'noauth') => ({
      rps: median(runs[mode].map((r) => r.rps)),
      p99: median(runs[mode].map((r) => r.p99)),
    });
    const a = summary('auth');
    const n = summary('noauth');
    console.log(`GET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s each (medians)`);
    console.log(`with auth     ${Math.round(a.rps)} req/s   p99 ${a.p99} ms`);
    console.log(`without auth  ${Math.round(n.rps)} req/s   p99 ${n.p99} ms`);
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
    console.log(
      `RESULT auth_vs_noauth=${median(ratios).toFixed(3)} unknown_vs_wrong_secret=${median(failureRatios).toFixed(3)}`,
    );
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
