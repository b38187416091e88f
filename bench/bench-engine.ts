// npm run bench:engine — verification speed on an inventory of 100,000 keys in 1,000 accounts.
// Prints warm (cached) and cold (SQLite) verifications per second, the cost of a warm verification
// relative to a bare SHA-256 of the same key (target <= 2.0), and throughput with last-used tracking
// on relative to off (target >= 0.95), and a server's admission of a request (authenticate) with the
// request log on relative to off (target >= 0.9). Every ratio is measured within this one run.
import { hash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyEngine } from '../src/platform/engine';
import { openSqliteEngine } from '../src/platform/store/sqlite/open-engine';
import type { SqliteStore } from '../src/platform/store/sqlite/sqlite-store';
import type { VerifyResult } from '../src/platform/verifier';
import type { Actor } from '../src/shared/domain';
import { generateKey } from '../src/shared/key-format';

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000);
const SAMPLE = 20_000; // keys whose secrets we keep to present
const ROUNDS = 7;
const FAILURE_PAIRS = 31;
const actor: Actor = { kind: 'user', name: 'bench' };

/** Calls per second of `run` over the keys, one after another (a verification's promise awaited). */
async function opsPerSecond(keys: string[], run: (key: string) => unknown, minMs = 300): Promise<number> {
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const key of keys) {
      const done = run(key);
      if (done instanceof Promise) await done;
    }
    calls += keys.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (calls / elapsed) * 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function build(file: string): Promise<{ secrets: string[]; accountIds: string[] }> {
  const engine = openSqliteEngine(file, { flushIntervalMs: 0 });
  const started = Date.now();
  const secrets: string[] = [];
  const accountIds: string[] = [];
  await (engine.store as SqliteStore).batch(async () => {
    const root = await engine.ensureRootAccount('Bench root');
    accountIds.push(root.id);
    // Two levels: 31 regions under the root, the rest spread under the regions.
    for (let i = 1; i < ACCOUNTS; i++) {
      const parent = i <= 31 ? root.id : (accountIds[1 + (i % 31)] as string);
      accountIds.push((await engine.createSubaccount(parent, { name: `Account ${i}` })).id);
    }
    const every = Math.max(1, Math.floor(KEYS / SAMPLE));
    for (let i = 0; i < KEYS; i++) {
      const { secret } = await engine.createKey(
        accountIds[i % ACCOUNTS] as string,
        { label: `Service key ${i}` },
        actor,
      );
      if (i % every === 0) secrets.push(secret);
    }
  });
  await engine.close();
  console.log(
    `built ${fmt(KEYS)} keys in ${fmt(ACCOUNTS)} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { secrets, accountIds };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-'));
  const file = join(dir, 'bench.db');
  try {
    const { secrets } = await build(file);
    const tracked = openSqliteEngine(file, { flushIntervalMs: 1000 }).start();
    const untracked = openSqliteEngine(file, { flushIntervalMs: 0, trackUsage: false });
    const cold = openSqliteEngine(file, { flushIntervalMs: 0, trackUsage: false, cacheSize: 0 });
    // A verification answered from the cache is synchronous: awaited only when it is a promise,
    // as opsPerSecond does, and checked without a closure per call, so the figures are the
    // engine's and not the harness's.
    const assertOk = (result: VerifyResult) => {
      if (!result.ok) throw new Error('a valid key failed to verify');
    };
    const assertUnknown = (result: VerifyResult) => {
      if (result.ok || result.reason !== 'unknown') throw new Error('a wrong key was not refused as unknown');
    };
    const whenDone = (result: VerifyResult | Promise<VerifyResult>, then: (value: VerifyResult) => void) =>
      result instanceof Promise ? result.then(then) : then(result);
    const check = (engine: KeyEngine) => (key: string) => whenDone(engine.verify(key), assertOk);
    // Failed verifications: a known public id with a wrong secret, and a public id nobody holds.
    // Both answer 'unknown' and must cost the same, or timing tells an attacker which ids exist.
    const random = (size: number) => randomBytes(size);
    const wrongSecret = secrets.map((secret) => generateKey(secret.slice(3, 11), random));
    const unknownIds = secrets.map(() => generateKey(`f${randomBytes(4).toString('hex').slice(1)}`, random));
    const refused = (engine: KeyEngine) => (key: string) => whenDone(engine.verify(key), assertUnknown);
    // The fastest bare SHA-256 Node offers: the one-shot crypto.hash.
    const sha256 = (key: string) => hash('sha256', key, 'buffer');

    // Warm the caches (and the JIT) once.
    for (const engine of [tracked, untracked]) await opsPerSecond(secrets, check(engine), 200);
    await opsPerSecond(secrets, sha256, 200);

    const results = { sha: [] as number[], warmOn: [] as number[], warmOff: [] as number[], cold: [] as number[] };
    const failures = { ratio: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved so drift on a busy machine hits every series alike.
      results.sha.push(await opsPerSecond(secrets, sha256));
      // Alternate which goes first, so neither always runs right after the other's garbage.
      const pair = [
        async () => results.warmOff.push(await opsPerSecond(secrets, check(untracked))),
        async () => results.warmOn.push(await opsPerSecond(secrets, check(tracked))),
      ];
      if (round % 2 === 1) pair.reverse();
      for (const measure of pair) await measure();
      results.cold.push(await opsPerSecond(secrets, check(cold), 150));
    }
    // The two failures are close and the machine is noisy: many short alternating pairs. Measured
    // last, so the unknown ids they add to the cache do not weigh on the rounds above.
    await opsPerSecond(wrongSecret, refused(untracked), 200);
    await opsPerSecond(unknownIds, refused(untracked), 200);
    for (let pair = 0; pair < FAILURE_PAIRS; pair++) {
      const rates = { wrong: 0, unknown: 0 };
      const sets = [
        async () => (rates.wrong = await opsPerSecond(wrongSecret, refused(untracked), 100)),
        async () => (rates.unknown = await opsPerSecond(unknownIds, refused(untracked), 100)),
      ];
      if (pair % 2 === 1) sets.reverse();
      for (const measure of sets) await measure();
      failures.ratio.push(rates.wrong / rates.unknown); // time per unknown-id call over time per wrong-secret call
    }
    const sha = median(results.sha);
    const warmOff = median(results.warmOff);
    const warmOn = median(results.warmOn);
    const coldRate = median(results.cold);
    console.log(`bare sha256            ${fmt(sha)} /s`);
    console.log(`verify warm, tracking  ${fmt(warmOn)} /s`);
    console.log(`verify warm, no track  ${fmt(warmOff)} /s`);
    console.log(`verify cold (SQLite)   ${fmt(coldRate)} /s`);
    // A server's admission of each request, with the request log on (each admitted request logged,
    // written behind every second as `keyhold serve` does) and off; the tracked engine throughout.
    const admit = (log: boolean) => async (key: string) => {
      const decision = await tracked.authenticate(key, null, { since: performance.now() });
      if (!decision.ok) throw new Error('a valid key was refused');
      if (log) {
        tracked.logRequest({
          at: tracked.clock.now(),
          keyId: decision.key.id,
          accountId: null,
          method: 'GET',
          route: '/v1/accounts/:accountId/api-keys',
          status: 200,
          outcome: 'ok',
          address: '10.0.0.7',
          userAgent: 'keyhold-sdk/0.1 node/20.19.0',
          requestId: 'req_0123456789abcdef',
        });
      }
    };
    const logRates = { on: [] as number[], off: [] as number[] };
    await opsPerSecond(secrets, admit(true), 200);
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [
        async () => logRates.on.push(await opsPerSecond(secrets, admit(true))),
        async () => logRates.off.push(await opsPerSecond(secrets, admit(false))),
      ];
      if (round % 2 === 1) pair.reverse();
      for (const measure of pair) await measure();
    }
    console.log(`admit, request log on  ${fmt(median(logRates.on))} /s`);
    console.log(`admit, request log off ${fmt(median(logRates.off))} /s`);
    for (const engine of [tracked, untracked, cold]) await engine.close();
    const requestLogRatio = median(logRates.on) / median(logRates.off);
    const verifyVsSha = sha / warmOff;
    const trackingRatio = warmOn / warmOff;
    const unknownVsWrong = median(failures.ratio);
    console.log(
      `unknown id vs wrong secret, time per call, per round: ${failures.ratio.map((r) => r.toFixed(3)).join(' ')}`,
    );
    console.log(
      `RESULT verify_vs_sha256=${verifyVsSha.toFixed(2)} tracking_on_vs_off=${trackingRatio.toFixed(3)} ` +
        `unknown_vs_wrong_secret=${unknownVsWrong.toFixed(3)} request_log_on_vs_off=${requestLogRatio.toFixed(3)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
