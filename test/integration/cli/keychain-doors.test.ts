// One keychain entry per key, whichever door it came through: a key made in the window, by
// `keyhold keys create` with --db (absolute and relative) or --url (127.0.0.1 and localhost), or
// on the app's default database, is run by `keyhold run` through every other door, with the real
// OS keychain (the throwaway Secret Service), the app's services and a real server on the same
// database file. Entries filed the old way (under a path or a URL) move on first use.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyEntry } from '../../../src/keychain/key-entries';
import { type Keychain, openKeychain } from '../../../src/keychain/keychain';
import { createApp, type KeyholdApp } from '../../../src/main/app/create-app';
import type { KeyEngine } from '../../../src/platform/engine';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { buildServer } from '../../../src/server/server';
import { testAppInfo } from '../../support/app-info';
import { admin } from '../../support/engine';

// The bundled command (`npm run build:cli`, which `npm test` runs first): 30 runs start in seconds.
const BIN = join(resolve(__dirname, '../../..'), 'bin/keyhold.cjs');
const CHILD = `process.stdout.write(require('node:crypto').createHash('sha256').update(process.env.ITELLICO_API_KEY ?? '').digest('hex'))`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
let app: KeyholdApp;
let serverEngine: KeyEngine;
let server: FastifyInstance;
let keychain: Keychain;
let env: Record<string, string>;
let doors: Record<string, string[]>;

function keyhold(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-doors-'));
  keychain = await openKeychain();
  app = await createApp({
    info: testAppInfo(dir),
    log: () => {},
    keychain,
    clipboard: { readText: async () => '', writeText: async () => {}, clear: () => {} },
    emit: () => {},
    userName: 'tester',
  });
  // A server over the app's own database file, as `keyhold serve --db` would be.
  serverEngine = openSqliteEngine(join(dir, 'platform.db'));
  server = await buildServer({ engine: serverEngine, log: () => {} });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as AddressInfo).port;
  const root = (await serverEngine.ensureRootAccount()).id;
  const adminKey = (await serverEngine.createKey(root, { label: 'CLI admin' }, admin)).secret;
  env = { KEYHOLD_DATA_DIR: dir, ITELLICO_API_KEY: adminKey };
  doors = {
    'the app database (default)': [],
    '--db absolute': ['--db', join(dir, 'platform.db')],
    '--db relative': ['--db', './platform.db'],
    '--url 127.0.0.1': ['--url', `http://127.0.0.1:${port}`],
    '--url localhost': ['--url', `http://localhost:${port}/`],
  };
}, 30_000);

afterAll(async () => {
  // Only this file's entries: the keyring is shared with the other test files.
  const platformId = await serverEngine?.platformId().catch(() => null);
  await server?.close();
  await serverEngine?.close();
  await app?.close();
  for (const account of await keychain.list()) {
    if (platformId && account.startsWith(`${platformId}/`)) await keychain.delete(account);
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a key made through any door', () => {
  it('runs through every other door, and the window finds it, with one keychain entry', async () => {
    const made: { door: string; id: string }[] = [];
    const root = (await app.handlers['inventory:load']({})).accounts[0]?.id ?? '';
    const inWindow = await app.handlers['keys:create']({ account_id: root, label: 'Made in the window' });
    expect(inWindow.keychain.stored).toBe(true);
    made.push({ door: 'the window', id: inWindow.key.id });
    for (const [door, args] of Object.entries(doors)) {
      const created = await keyhold(['keys', 'create', ...args, '--label', `Made by ${door}`, '--json']);
      expect({ door, code: created.code, stderr: created.stderr }).toEqual({ door, code: 0, stderr: '' });
      made.push({ door, id: (JSON.parse(created.stdout) as { key: { id: string } }).key.id });
    }

    // One entry per key, under the platform's name (the keyring is shared with the other test files).
    const platformId = await serverEngine.platformId();
    const ours = new Set(made.map(({ id }) => id));
    const entries = (await keychain.list()).filter((account) => ours.has(account.split('/').at(-1) ?? ''));
    expect(entries.sort()).toEqual(made.map(({ id }) => keyEntry(platformId, id)).sort());

    const runs = made.flatMap(({ door, id }) =>
      Object.entries(doors).map(async ([through, args]) => {
        const run = await keyhold(['run', ...args, '--key', id, '--', process.execPath, '-e', CHILD]);
        const secret = await keychain.get(keyEntry(platformId, id));
        return {
          made: door,
          through,
          code: run.code,
          digest: run.stdout,
          stderr: run.stderr,
          want: sha256(secret ?? ''),
        };
      }),
    );
    for (const run of await Promise.all(runs)) {
      expect(run, `${run.made} → ${run.through}`).toMatchObject({ code: 0, digest: run.want, stderr: '' });
    }
    // The window finds each of them stored, and reveals the secret the CLI stored.
    const stored = (await app.handlers['inventory:load']({})).keychain_key_ids;
    expect(stored.sort()).toEqual(made.map(({ id }) => id).sort());
    const byCli = made[2]?.id ?? '';
    expect((await app.handlers['secrets:reveal']({ key_id: byCli })).secret).toBe(
      await keychain.get(keyEntry(platformId, byCli)),
    );

    // The window connected to the server by its URL: the same entries, and a key made there runs by --db.
    const remote = await app.handlers['connections:add']({
      name: 'Same platform over HTTP',
      base_url: doors['--url localhost']?.[1] ?? '',
      api_key: env.ITELLICO_API_KEY ?? '',
    });
    await app.handlers['connections:switch']({ id: remote.id });
    const synced = await app.handlers['inventory:sync']({});
    expect(synced.keychain_key_ids.sort()).toEqual(made.map(({ id }) => id).sort());
    const overHttp = await app.handlers['keys:create']({ account_id: root, label: 'Made in the window over HTTP' });
    expect(overHttp.keychain).toEqual({ stored: true, account: keyEntry(platformId, overHttp.key.id) });
    const run = await keyhold([
      'run',
      '--db',
      './platform.db',
      '--key',
      overHttp.key.id,
      '--',
      process.execPath,
      '-e',
      CHILD,
    ]);
    expect([run.code, run.stdout]).toEqual([
      0,
      sha256((await keychain.get(keyEntry(platformId, overHttp.key.id))) ?? ''),
    ]);
    await app.handlers['connections:switch']({ id: 'embedded' });
  }, 120_000);

  it('moves an entry filed the old way (under a path or a URL) to the platform, once its secret proves it', async () => {
    const root = (await serverEngine.ensureRootAccount()).id;
    const platformId = await serverEngine.platformId();
    const underPath = await serverEngine.createKey(root, { label: 'Filed under a path' }, admin);
    const underUrl = await serverEngine.createKey(root, { label: 'Filed under a URL' }, admin);
    const elsewhere = await serverEngine.createKey(root, { label: 'Secret of another key' }, admin);
    const oldPath = `file:${join(dir, 'platform.db')}/${underPath.key.id}`;
    const oldUrl = `http://127.0.0.1:9/${underUrl.key.id}`;
    // An entry whose secret is not its key's is never moved: it proves nothing.
    const forged = `embedded/${elsewhere.key.id}`;
    await keychain.set(oldPath, underPath.secret);
    await keychain.set(oldUrl, underUrl.secret);
    await keychain.set(forged, underPath.secret);

    const run = await keyhold([
      'run',
      ...(doors['--url localhost'] ?? []),
      '--key',
      underUrl.key.id,
      '--',
      process.execPath,
      '-e',
      CHILD,
    ]);
    expect([run.code, run.stdout]).toEqual([0, sha256(underUrl.secret)]);
    expect(await keychain.get(keyEntry(platformId, underUrl.key.id))).toBe(underUrl.secret);
    expect(await keychain.get(keyEntry(platformId, underPath.key.id))).toBe(underPath.secret);
    expect(await keychain.get(oldPath)).toBeNull();
    expect(await keychain.get(oldUrl)).toBeNull();
    expect(await keychain.get(forged)).toBe(underPath.secret);
    expect(await keychain.get(keyEntry(platformId, elsewhere.key.id))).toBeNull();
    await keychain.delete(forged);
  }, 60_000);
});
