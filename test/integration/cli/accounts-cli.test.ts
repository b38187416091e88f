// `keyhold accounts …` as real processes: over a platform database, over HTTP against a real
// server (where a deactivated account's keys get 403 until it is activated again), and on the
// desktop app's embedded platform; every exit code.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import type { Account } from '../../../src/shared/domain';
import { type EngineFixture, openTestEngine } from '../../support/engine';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { type ServerFixture, startTestServer } from '../../support/server';

function keyhold(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      KEYHOLD_NODE,
      keyholdArgs(...args),
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

let db: EngineFixture;
let server: ServerFixture;
const dataDir = mkdtempSync(join(tmpdir(), 'keyhold-appdata-'));

beforeAll(async () => {
  db = await openTestEngine();
  await db.engine.close(); // the command opens the file itself
  server = await startTestServer();
}, 30_000);

afterAll(async () => {
  await db.cleanup();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('keyhold accounts on a database file', () => {
  it('creates (printing the id, or the account with --json), lists the tree, and renames', async () => {
    const created = await keyhold(['accounts', 'create', '--db', db.file, '--name', 'EU team']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^acc_[0-9a-f]{16}\n$/);
    const eu = created.stdout.trim();

    const nested = await keyhold(['accounts', 'create', '--db', db.file, '--name', 'EU dev', '--parent', eu, '--json']);
    expect(nested.code).toBe(0);
    const dev = JSON.parse(nested.stdout) as Account;
    expect(dev).toMatchObject({ name: 'EU dev', parent_id: eu, status: 'active' });

    const list = await keyhold(['accounts', 'list', '--db', db.file]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${eu}\\s+  EU team\\s+active`));
    expect(list.stdout).toMatch(new RegExp(`${dev.id}\\s+    EU dev\\s+active\\s+${eu}`));
    expect(list.stdout).toContain('3 accounts');
    const json = JSON.parse((await keyhold(['accounts', 'list', '--db', db.file, '--json'])).stdout) as Account[];
    expect(json.map((account) => account.name)).toEqual(['Acme', 'EU team', 'EU dev']);

    const renamed = await keyhold(['accounts', 'rename', dev.id, '--db', db.file, '--name', 'EU development']);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toBe(`Renamed ${dev.id} "EU development" (active)\n`);
  }, 60_000);

  it('exits 2 when called wrongly and 1 when the platform refuses, naming the problem', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['accounts', 'create', '--db', db.file], 2, /--name is required/],
      [['accounts', 'rename', '--db', db.file, '--name', 'X'], 2, /give exactly one account ID/],
      [['accounts', 'activate', 'acc_1', 'acc_2', '--db', db.file], 2, /give exactly one account ID/],
      [['accounts', 'frobnicate'], 2, /unknown command "accounts frobnicate"/],
      [['accounts', 'deactivate', 'acc_nothere', '--db', db.file], 1, /No account acc_nothere/],
      [['accounts', 'create', '--db', db.file, '--name', '   '], 1, /name: must not be empty/],
      [['accounts', 'deactivate', db.rootId, '--db', db.file], 1, /root account cannot be deactivated/],
    ];
    for (const [args, code, message] of cases) {
      const run = await keyhold(args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }
    const group = await keyhold(['accounts']);
    expect(group.code).toBe(2);
    expect(group.stdout).toContain('keyhold accounts deactivate ID');
    expect((await keyhold(['accounts', '--help'])).code).toBe(0);
  }, 60_000);
});

describe('keyhold accounts over HTTP', () => {
  it('deactivating a subaccount makes its keys answer 403 until it is activated again; their status stays', async () => {
    const env = { ITELLICO_API_KEY: server.adminKey };
    const created = await keyhold(['accounts', 'create', '--url', server.url, '--name', 'Contractors'], env);
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    const { key, secret } = await server.engine.createKey(id, { label: 'Contractor portal' }, { kind: 'system' });
    const asKey = () => fetch(`${server.url}/v1/accounts/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await asKey()).status).toBe(200);

    const off = await keyhold(['accounts', 'deactivate', id, '--url', server.url], env);
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(`Deactivated ${id} "Contractors" (inactive)\n`);
    const refused = await asKey();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: {
        code: 'account_inactive',
        message: 'The account is inactive.',
        request_id: refused.headers.get('request-id'),
        doc_url: '/v1/errors#account_inactive',
      },
    });
    expect((await server.engine.getKey(null, key.id)).status).toBe('active');

    const on = await keyhold(['accounts', 'activate', id, '--url', server.url, '--json'], env);
    expect(on.code).toBe(0);
    expect(JSON.parse(on.stdout)).toMatchObject({ id, status: 'active' });
    expect((await asKey()).status).toBe(200);
  }, 60_000);
});

describe('keyhold accounts on the app’s embedded platform', () => {
  it('acts on platform.db in the app’s data folder when given neither --db nor --url', async () => {
    mkdirSync(dataDir, { recursive: true });
    openSqliteEngine(join(dataDir, 'platform.db')).close();
    const env = { KEYHOLD_DATA_DIR: dataDir };
    const created = await keyhold(['accounts', 'create', '--name', 'Staging'], env);
    expect(created.code).toBe(0);
    const list = await keyhold(['accounts', 'list', '--json'], env);
    expect((JSON.parse(list.stdout) as Account[]).map((account) => account.name)).toEqual(['Root account', 'Staging']);
  }, 60_000);
});
