// `keyhold audit` and `keyhold keys` as real processes: over a platform database, a real server on
// 127.0.0.1 and exported files; every exit code, the JSON shape, and the OS keychain for create.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, DEFAULT_AUDIT_POLICY } from '../../../src/shared/audit';
import { toCsvExport, toJsonExport } from '../../../src/shared/report/inventory-file';
import { secretToolLookup } from '../../e2e/support/keychain';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { platformIdOf } from '../../support/platform-id';
import { type ServerFixture, startTestServer } from '../../support/server';

const ROOT = resolve(__dirname, '../../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Asynchronous on purpose: the server under test runs in this process and must keep answering.
function keyhold(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      KEYHOLD_NODE,
      keyholdArgs(...args),
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

let warningsOnly: EngineFixture; // a never-used key and a vague label
let critical: ServerFixture; // and a parent-account key without an expiration
let subaccountId: string;

beforeAll(async () => {
  warningsOnly = await openTestEngine();
  const root = await warningsOnly.engine.ensureRootAccount();
  await warningsOnly.engine.createKey(root.id, { label: 'Nightly export', expires_at: '2099-01-01T00:00:00Z' }, admin);
  await warningsOnly.engine.createKey(root.id, { label: 'Test', expires_at: '2099-01-01T00:00:00Z' }, admin);
  await warningsOnly.engine.close();

  critical = await startTestServer();
  subaccountId = (await critical.engine.createSubaccount(critical.rootId, { name: 'EU team' })).id;
  await critical.engine.createKey(critical.rootId, { label: 'Deploy bot' }, admin);
  await critical.engine.createKey(
    subaccountId,
    { label: 'EU billing worker', expires_at: '2099-01-01T00:00:00Z' },
    admin,
  );
}, 30_000);

afterAll(async () => {
  warningsOnly.cleanup();
  await critical.stop();
});

describe('keyhold audit', () => {
  it('exits 0 without a threshold, 1 when a finding reaches it, 0 when none does', async () => {
    const db = warningsOnly.file;
    const plain = await keyhold(['audit', '--db', db]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/Audited 2 keys in 1 accounts/);
    expect(plain.stdout).toContain('WARNING');
    expect(plain.stdout).toMatch(/Never used \(2\)/);
    expect(plain.stdout).toMatch(/Vague label \(1\)/);

    expect((await keyhold(['audit', '--db', db, '--fail-on', 'warning'])).code).toBe(1);
    const passed = await keyhold(['audit', '--db', db, '--fail-on', 'critical']);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('Passed: nothing at or above critical.');
  }, 60_000);

  it('audits a platform over HTTP with the key from KEYHOLD_API_KEY, as JSON', async () => {
    const run = await keyhold(['audit', '--url', critical.url, '--json', '--fail-on', 'critical'], {
      KEYHOLD_API_KEY: critical.adminKey,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual([
      'source',
      'audited_at',
      'keys',
      'accounts',
      'policy',
      'summary',
      'fail_on',
      'failed',
      'findings',
    ]);
    expect(report).toMatchObject({
      keys: 3,
      accounts: 2,
      fail_on: 'critical',
      failed: true,
      policy: DEFAULT_AUDIT_POLICY,
    });
    expect(report.source).toEqual({
      name: critical.url,
      kind: 'remote',
      base_url: critical.url,
      synced_at: report.audited_at,
    });
    expect(report.summary.critical).toBe(2); // the deploy bot and the admin key: both on the parent, never expiring
    for (const finding of report.findings) {
      expect(Object.keys(finding).sort()).toEqual(['account_id', 'action', 'key_id', 'message', 'rule', 'severity']);
    }
    expect(report.findings).toContainEqual(
      expect.objectContaining({ rule: 'no_expiration_parent', severity: 'critical', action: 'set_expiration' }),
    );
    expect(run.stdout).not.toContain(critical.adminKey.split('.')[1]);
  }, 60_000);

  it('audits exported JSON and CSV files the same way', async () => {
    const now = Date.now();
    const snapshot = {
      source: { name: 'Staging export', kind: 'remote' as const, base_url: 'https://keys.example', synced_at: null },
      exported_at: new Date(now).toISOString(),
      accounts: [await critical.engine.getAccount(critical.rootId), await critical.engine.getAccount(subaccountId)],
      keys: (await critical.engine.listKeys(critical.rootId, { include_subaccounts: true, limit: 100 })).data,
      environments: {},
    };
    const result = audit(snapshot, DEFAULT_AUDIT_POLICY, now);
    const json = join(critical.dir, 'inventory.json');
    const csv = join(critical.dir, 'inventory.csv');
    writeFileSync(json, toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, result));
    writeFileSync(csv, toCsvExport(snapshot, result));
    const fromJson = JSON.parse((await keyhold(['audit', '--file', json, '--json'])).stdout);
    const fromCsv = JSON.parse((await keyhold(['audit', '--file', csv, '--json'])).stdout);
    const rules = (report: { findings: Array<{ rule: string; key_id: string }> }) =>
      report.findings.map((f) => `${f.rule}/${f.key_id}`).sort();
    expect(rules(fromJson)).toEqual(rules(fromCsv));
    expect(fromJson.summary).toEqual(result.summary());
    expect((await keyhold(['audit', '--file', csv, '--fail-on', 'critical'])).code).toBe(1);
  }, 60_000);

  it('exits 2 on usage errors, naming what is wrong', async () => {
    const broken = join(critical.dir, 'broken.json');
    writeFileSync(broken, '{"format":"keyhold-inventory","version":1,"keys":[{"id":"k"}]}');
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [['audit'], /the app's embedded platform .* does not exist yet/],
      [
        ['audit', '--db', warningsOnly.file, '--file', broken],
        /one of --db FILE, --url URL or --file INVENTORY, not several/,
      ],
      [['audit', '--db', warningsOnly.file, '--fail-on', 'info'], /--fail-on must be warning or critical/],
      [['audit', '--db', join(critical.dir, 'missing.db')], /--db: no such file/],
      [['audit', '--file', broken], /--file: broken.json: .*exported_at/],
      [
        ['audit', '--url', critical.url],
        /ITELLICO_API_KEY \(or KEYHOLD_API_KEY\)/,
        { KEYHOLD_API_KEY: '', ITELLICO_API_KEY: '' },
      ],
      [['audit', '--file', critical.dir], /--file: .* is not a file/],
      [['audit', '--db', warningsOnly.file, '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message, env] of cases) {
      const run = await keyhold(args, env);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('Usage:');
    }
    // An unknown command: one line naming it, and the commands there are, not the whole help.
    for (const args of [['frobnicate'], ['keys', 'rotate']]) {
      const run = await keyhold(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `keyhold: unknown command "${args.join(' ')}"\nCommands: audit, sync, scan, run, keys list, keys create, ` +
          'keys schedule-delete, accounts list, accounts create, accounts rename, accounts deactivate, ' +
          'accounts activate, serve, migrate, ' +
          'create-admin-key\nRun keyhold --help for their options.\n',
      );
    }
  }, 90_000);

  it('exits 1 when the platform cannot be reached', async () => {
    const run = await keyhold(['audit', '--url', 'http://127.0.0.1:9'], { KEYHOLD_API_KEY: critical.adminKey });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/127\.0\.0\.1:9/);
  }, 60_000);
});

describe('keyhold keys', () => {
  it('lists keys as a table and as JSON', async () => {
    const table = await keyhold(['keys', 'list', '--url', critical.url], { KEYHOLD_API_KEY: critical.adminKey });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^KEY\s+LABEL\s+STATUS\s+ACCOUNT\s+CREATED\s+LAST USED\s+EXPIRES/);
    expect(table.stdout).toContain('EU billing worker');
    expect(table.stdout).toMatch(/3 keys\n$/);
    const json = await keyhold(['keys', 'list', '--url', critical.url, '--account', subaccountId, '--json'], {
      KEYHOLD_API_KEY: critical.adminKey,
    });
    expect(JSON.parse(json.stdout).map((key: { label: string }) => key.label)).toEqual(['EU billing worker']);
    // An account it cannot see is not found: the operation fails (1), as everywhere, not a usage error.
    const unseen = await keyhold(['keys', 'list', '--url', critical.url, '--account', 'acc_0000000000000bad'], {
      KEYHOLD_API_KEY: critical.adminKey,
    });
    expect([unseen.code, unseen.stderr]).toEqual([
      1,
      expect.stringContaining('acc_0000000000000bad is not an account'),
    ]);
  }, 60_000);

  it('creates a key whose secret goes to the OS keychain and nowhere else', async () => {
    const db = warningsOnly.file;
    const run = await keyhold([
      'keys',
      'create',
      '--db',
      db,
      '--label',
      'CI deploy (staging)',
      '--expires-in',
      '90d',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const { key, keychain } = JSON.parse(run.stdout);
    expect(key).toMatchObject({ label: 'CI deploy (staging)', status: 'active' });
    const days = (Date.parse(key.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    expect(keychain).toEqual({ service: 'keyhold', account: `${platformIdOf(db)}/${key.id}` });
    const secret = secretToolLookup(keychain.account);
    expect(secret).toMatch(new RegExp(`^${key.partial_key}\\.[0-9A-Za-z]{49}$`));
    expect(run.stdout + run.stderr).not.toContain((secret as string).split('.')[1]);
    for (const file of [db, `${db}-wal`]) {
      const bytes = (() => {
        try {
          return readFileSync(file).toString('latin1');
        } catch {
          return '';
        }
      })();
      expect(bytes).not.toContain((secret as string).split('.')[1]);
    }

    const text = await keyhold(['keys', 'create', '--url', critical.url, '--label', 'Reporting (production)'], {
      KEYHOLD_API_KEY: critical.adminKey,
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Created sk-[0-9a-f]{8} \("Reporting \(production\)"\) in acc_\w+, expires never\./);
    // Filed under the platform's identity, not the URL it was reached through.
    expect(text.stdout).toContain(`account "${await critical.engine.platformId()}/`);
  }, 60_000);

  it('refuses bad input with exit 2 and creates nothing', async () => {
    const before = (await keyhold(['keys', 'list', '--db', warningsOnly.file, '--json'])).stdout;
    for (const [args, message] of [
      [['keys', 'create', '--db', warningsOnly.file], /--label is required/],
      [
        ['keys', 'create', '--db', warningsOnly.file, '--label', 'X', '--expires-in', '90 days'],
        /--expires-in must be/,
      ],
      [['keys', 'create', '--db', warningsOnly.file, '--label', 'X', '--expires-in', '0d'], /--expires-in must be/],
      [['keys', 'list', '--db', warningsOnly.file, '--url', critical.url], /give --db or --url, not both/],
    ] as Array<[string[], RegExp]>) {
      const run = await keyhold(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    const label = await keyhold(['keys', 'create', '--db', warningsOnly.file, '--label', ' ']);
    expect(label.code).toBe(1);
    expect(label.stderr).toMatch(/label: must not be empty/);
    expect((await keyhold(['keys', 'list', '--db', warningsOnly.file, '--json'])).stdout).toBe(before);
  }, 90_000);

  it('prints help for every command with exit 0', async () => {
    for (const args of [
      ['--help'],
      ['audit', '--help'],
      ['keys', '--help'],
      ['keys', 'list', '--help'],
      ['keys', 'create', '--help'],
      ['serve', '--help'],
      ['create-admin-key', '--help'],
    ]) {
      const run = await keyhold(args);
      expect({ args, code: run.code }).toEqual({ args, code: 0 });
      expect(run.stdout).toMatch(/^Usage:\n {2}keyhold /);
    }
    expect((await keyhold([])).code).toBe(2);
  }, 90_000);

  it('schedules a key’s deletion on the platform and cancels it', async () => {
    const env = { KEYHOLD_API_KEY: critical.adminKey };
    const { key } = await critical.engine.createKey(critical.rootId, { label: 'Old export job' }, admin);
    const at = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const scheduled = await keyhold(
      ['keys', 'schedule-delete', 'Old export job', '--at', at, '--url', critical.url],
      env,
    );
    expect([scheduled.code, scheduled.stdout]).toEqual([
      0,
      `${key.partial_key} ("Old export job") will be deleted by the platform at ${at}T00:00:00.000Z.\n`,
    ]);
    expect((await critical.engine.getKey(null, key.id)).deletes_at).toBe(`${at}T00:00:00.000Z`);
    const cancelled = await keyhold(
      ['keys', 'schedule-delete', key.partial_key, '--cancel', '--url', critical.url],
      env,
    );
    expect(cancelled.code).toBe(0);
    expect((await critical.engine.getKey(null, key.id)).deletes_at).toBeNull();
    // Called wrongly: 2. Refused by the platform (a day gone by) or no such key: 1.
    expect((await keyhold(['keys', 'schedule-delete', key.id, '--url', critical.url], env)).code).toBe(2);
    expect((await keyhold(['keys', 'schedule-delete', key.id, '--at', 'soon', '--url', critical.url], env)).code).toBe(
      2,
    );
    const past = await keyhold(['keys', 'schedule-delete', key.id, '--at', '2020-01-01', '--url', critical.url], env);
    expect([past.code, past.stderr]).toEqual([1, expect.stringContaining('deletes_at: must be in the future')]);
    const missing = await keyhold(['keys', 'schedule-delete', 'No such key', '--cancel', '--url', critical.url], env);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('KEY: no key has the id')]);
  }, 60_000);

  it('runs as the package bin too', async () => {
    const bin = join(ROOT, 'bin/keyhold.cjs');
    const run = await new Promise<Run>((done) =>
      execFile(
        process.execPath,
        [bin, 'audit', '--db', warningsOnly.file, '--fail-on', 'warning'],
        { encoding: 'utf8' },
        (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Failed: findings at or above warning.');
  }, 30_000);
});
