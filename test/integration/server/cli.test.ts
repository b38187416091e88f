// The server's command line as a real process: bootstrap key, listening address, a flush of
// last-used times on SIGTERM, create-admin-key, and usage errors.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { FULL_KEY_PATTERN } from '../../../src/shared/key-format';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { exited } from '../../support/serve-process';

const serve = (args: string[]) => spawn(KEYHOLD_NODE, keyholdArgs('serve', ...args), { cwd: dir });
const dir = mkdtempSync(join(tmpdir(), 'keyhold-cli-'));
const db = join(dir, 'platform.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves once `condition` holds, checked every 20 ms (the test's own timeout bounds the wait). */
const until = (condition: () => boolean) =>
  new Promise<void>((done) => {
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        done();
      }
    }, 20);
  });

function startServer(more: string[] = []): Promise<{ child: ChildProcess; output: () => string; url: string }> {
  const child = serve(['--db', db, '--port', '0', ...more]);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((done, fail) => {
    const timer = setInterval(() => {
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearInterval(timer);
        done({ child, output: () => output, url });
      }
    }, 50);
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${output}`)));
  });
}

describe('keyhold serve', () => {
  it('prints the bootstrap key once on its own line, serves, and flushes last-used on SIGTERM', async () => {
    const first = await startServer();
    const keys = first
      .output()
      .split('\n')
      .filter((line) => FULL_KEY_PATTERN.test(line));
    expect(keys).toHaveLength(1);
    const adminKey = keys[0] as string;
    const response = await fetch(`${first.url}/v1/accounts/me`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(response.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(first.output()).toContain('SIGTERM: stopping');

    const sqlite = new Database(db, { readonly: true });
    const lastUsed = sqlite
      .prepare('SELECT last_used_at FROM api_keys WHERE public_id = ?')
      .pluck()
      .get(adminKey.slice(3, 11));
    sqlite.close();
    expect(lastUsed).toEqual(expect.any(Number));

    const second = await startServer();
    expect(second.output()).not.toMatch(/^sk-/m);
    second.child.kill('SIGINT');
    expect(await exited(second.child)).toBe(0);
  }, 60_000);

  it('takes the flag filter’s numbers from --policy, and refuses a bad policy naming the field', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ expiringDays: 30, rotationDays: { production: 60 } }));
    const server = await startServer(['--policy', policy]);
    const admin = spawnSync(KEYHOLD_NODE, keyholdArgs('create-admin-key', '--db', db, '--label', 'Policy probe'), {
      encoding: 'utf8',
    });
    const adminKey = admin.stdout.split('\n').find((line) => /^sk-/.test(line)) as string;
    const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const expires_at = new Date(Date.now() + 20 * 86_400_000).toISOString();
    const created = await fetch(`${server.url}/v1/accounts/me/api-keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ label: 'Billing worker', expires_at }),
    });
    expect(created.status).toBe(201);
    const expiring = await fetch(`${server.url}/v1/accounts/me/api-keys?flag=expiring`, { headers });
    // 20 days left: expiring under a 30-day window (the default 7 would not list it).
    expect(((await expiring.json()) as { data: { label: string }[] }).data.map((key) => key.label)).toEqual([
      'Billing worker',
    ]);
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);

    writeFileSync(policy, JSON.stringify({ expiringDays: 0 }));
    const refused = spawnSync(KEYHOLD_NODE, keyholdArgs('serve', '--db', db, '--port', '0', '--policy', policy), {
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--policy: expiringDays: must be at least 1');
  }, 60_000);

  it('--usage-flush-ms sets how much usage a crash can lose: with 100 ms, a kill -9 keeps a call made 400 ms before', async () => {
    const flushDb = join(dir, 'flush.db');
    const child = serve(['--db', flushDb, '--port', '0', '--usage-flush-ms', '100']);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        if (/listening on/.test(output)) {
          clearInterval(timer);
          done();
        }
      }, 50);
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string;
    const adminKey = output.split('\n').find((line) => /^sk-[0-9a-f]{8}\./.test(line)) as string;
    expect((await fetch(`${url}/v1/accounts/me`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(
      200,
    );
    await new Promise((done) => setTimeout(done, 400));
    child.kill('SIGKILL');
    await exited(child);
    const sqlite = new Database(flushDb, { readonly: true });
    const row = sqlite.prepare('SELECT last_used_at FROM api_keys WHERE public_id = ?').get(adminKey.slice(3, 11)) as {
      last_used_at: number | null;
    };
    sqlite.close();
    expect(row.last_used_at).toEqual(expect.any(Number));
    const refused = spawnSync(KEYHOLD_NODE, keyholdArgs('serve', '--db', flushDb, '--usage-flush-ms', 'soon'), {
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--usage-flush-ms must be a number >= 0');
  }, 60_000);

  it('writes the request log behind within --usage-flush-ms, and a kill -9 while logging leaves it whole', async () => {
    const logDb = join(dir, 'request-log.db');
    const child = serve(['--db', logDb, '--port', '0', '--usage-flush-ms', '100', '--request-log-days', '30']);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    await until(() => /listening on/.test(output));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string;
    const adminKey = output.split('\n').find((line) => /^sk-[0-9a-f]{8}\./.test(line)) as string;
    const get = () => fetch(`${url}/v1/accounts/me`, { headers: { authorization: `Bearer ${adminKey}` } });
    for (let i = 0; i < 50; i++) expect((await get()).status).toBe(200);
    // On disk without any read asking for it: the age bound writes it.
    const reader = new Database(logDb, { readonly: true });
    const logged = () => reader.prepare('SELECT count(*) FROM request_log').pluck().get() as number;
    await until(() => logged() === 50);
    reader.close();
    // Killed while requests are in flight and batches are being written.
    const inFlight = Array.from({ length: 200 }, () => get().catch(() => null));
    await until(() => /GET \/v1\/accounts\/:accountId/.test(output.split('\n').slice(-3).join('\n')));
    child.kill('SIGKILL');
    await exited(child);
    await Promise.all(inFlight);
    const after = new Database(logDb);
    expect(after.pragma('quick_check', { simple: true })).toBe('ok');
    expect(after.prepare('SELECT count(*) FROM request_log').pluck().get()).toBeGreaterThanOrEqual(50);
    // Every logged request has its source, and a source counts no fewer requests than are logged for it.
    expect(
      after
        .prepare(
          `SELECT count(*) FROM request_sources s
            WHERE s.count < (SELECT count(*) FROM request_log l WHERE l.source_id = s.id)`,
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(
      after
        .prepare(
          'SELECT count(*) FROM request_log l LEFT JOIN request_sources s ON s.id = l.source_id WHERE s.id IS NULL',
        )
        .pluck()
        .get(),
    ).toBe(0);
    after.close();
    const refused = spawnSync(KEYHOLD_NODE, keyholdArgs('serve', '--db', logDb, '--request-log-days', '0'), {
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--request-log-days must be a number >= 1');
  }, 60_000);

  it('create-admin-key prints a new key once', () => {
    const result = spawnSync(KEYHOLD_NODE, keyholdArgs('create-admin-key', '--db', db, '--label', 'Second admin'), {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Created admin key sk-[0-9a-f]{8} \("Second admin"\)/);
    expect(result.stdout.split('\n').filter((line) => /^sk-[0-9a-f]{8}\./.test(line))).toHaveLength(1);
  }, 30_000);

  it('exits 2 with the usage on a bad option, and names an unknown command with the list of commands', () => {
    for (const args of [
      ['serve', '--port', 'eighty'],
      ['serve', '--nope'],
    ]) {
      const result = spawnSync(KEYHOLD_NODE, keyholdArgs(...args), { encoding: 'utf8', cwd: dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Usage:');
    }
    const unknown = spawnSync(KEYHOLD_NODE, keyholdArgs('frobnicate'), { encoding: 'utf8', cwd: dir });
    expect([unknown.status, unknown.stderr.split('\n')[0]]).toEqual([2, 'keyhold: unknown command "frobnicate"']);
    expect(unknown.stderr).toContain('Commands: audit, sync, scan, run,');
    expect(spawnSync(KEYHOLD_NODE, keyholdArgs('--help'), { encoding: 'utf8' }).status).toBe(0);
  }, 30_000);
});
