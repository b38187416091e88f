// The audit's services in main, on the real engine and the real app database: the policy, key
// environments, imported inventories, expiry notices (through an injected notifier) and the
// migration of an app database written by the previous version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableKeychain } from '../../../src/keychain/keychain';
import { createApp, type KeyholdApp } from '../../../src/main/app/create-app';
import { ExpiryNotices, type Notice } from '../../../src/main/app/expiry-notices';
import { APP_MIGRATIONS } from '../../../src/main/store/app-migrations';
import { AppStateRepo } from '../../../src/main/store/app-state-repo';
import { EmbeddedPlatform } from '../../../src/platform/embedded-platform';
import { openDatabase } from '../../../src/platform/store/sqlite/database';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { audit, DEFAULT_AUDIT_POLICY } from '../../../src/shared/audit';
import type { EventName } from '../../../src/shared/ipc/contract';
import { type KeyColumns, keysOfColumns } from '../../../src/shared/key-columns';
import { toCsvExport, toJsonExport } from '../../../src/shared/report/inventory-file';
import { testAppInfo } from '../../support/app-info';
import { ManualClock, ManualTimers } from '../../support/clock';
import { admin } from '../../support/engine';

const DAY = 86_400_000;
let dir: string;
let app: KeyholdApp | undefined;
const events: Array<{ event: EventName; payload: unknown }> = [];
const shown: Notice[] = [];
const clicks: Array<() => void> = [];

async function start(clock = new ManualClock()): Promise<KeyholdApp> {
  app = await createApp({
    info: testAppInfo(dir),
    log: () => {},
    keychain: new UnavailableKeychain('not needed here'),
    clipboard: { readText: async () => '', writeText: async () => {}, clear: () => {} },
    emit: (event, payload) => events.push({ event, payload }),
    userName: 'tester',
    clock,
    notifier: {
      show(notice, onClick) {
        shown.push(notice);
        clicks.push(onClick);
      },
    },
  });
  return app;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-audit-'));
  events.length = 0;
  shown.length = 0;
  clicks.length = 0;
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('the audit policy', () => {
  it('starts at the defaults, keeps a change across restarts, and resets', async () => {
    let { handlers } = await start();
    expect(await handlers['audit:policy']({})).toEqual({ policy: DEFAULT_AUDIT_POLICY, is_default: true });
    const strict = {
      ...DEFAULT_AUDIT_POLICY,
      unusedDays: 30,
      rotationDays: { ...DEFAULT_AUDIT_POLICY.rotationDays, production: 60 },
    };
    expect(await handlers['audit:setPolicy']({ policy: strict })).toEqual({ policy: strict, is_default: false });
    await app?.close();
    ({ handlers } = await start());
    expect((await handlers['audit:policy']({})).policy).toEqual(strict);
    expect(await handlers['audit:resetPolicy']({})).toEqual({ policy: DEFAULT_AUDIT_POLICY, is_default: true });
  });
});

describe('key environments', () => {
  it('are kept per connection and come with the inventory', async () => {
    const { handlers } = await start();
    expect((await handlers['inventory:load']({})).environments).toEqual({});
    expect(await handlers['keys:setEnvironment']({ key_id: 'key_abc', environment: 'production' })).toEqual({
      environments: { key_abc: 'production' },
    });
    expect((await handlers['inventory:load']({})).environments).toEqual({ key_abc: 'production' });
    expect(await handlers['keys:setEnvironment']({ key_id: 'key_abc', environment: null })).toEqual({
      environments: {},
    });
  });
});

describe('imported inventories', () => {
  it('open read-only as their own connection, from JSON and from CSV', async () => {
    const clock = new ManualClock();
    const { handlers } = await start(clock);
    const head = await handlers['inventory:load']({});
    const root = head.accounts[0]?.id as string;
    await handlers['keys:create']({ account_id: root, label: 'Test' });
    const snapshot = {
      source: { name: 'This computer', kind: 'embedded' as const, base_url: null, synced_at: null },
      exported_at: new Date(clock.now()).toISOString(),
      accounts: head.accounts,
      keys: (await handlers['inventory:load']({})).keys,
      environments: { [head.keys[0]?.id ?? 'x']: 'staging' as const },
    };
    const result = audit(snapshot, DEFAULT_AUDIT_POLICY, clock.now());

    const info = await handlers['connections:import']({
      file_name: 'acme-2026.json',
      content: toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, result),
    });
    expect(info).toMatchObject({ kind: 'imported', name: 'acme-2026', source: 'acme-2026.json, exported 2026-06-01' });
    expect((await handlers['connections:list']({})).active_id).toBe(info.id);
    const imported = await handlers['inventory:load']({});
    expect(imported.keys).toEqual(snapshot.keys);
    const everyKey = await handlers['inventory:keys']({});
    expect(keysOfColumns(JSON.parse(everyKey.columns) as KeyColumns)).toEqual(snapshot.keys);
    expect(imported.read_only_reason).toMatch(/"acme-2026" is an imported inventory .*not changed/);
    await expect(
      handlers['keys:revoke']({ account_id: root, key_id: snapshot.keys[0]?.id as string }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('imported inventory'),
    });
    expect((await handlers['inventory:sync']({})).changes).toBeNull(); // nothing to sync with: the window reloads

    const csv = await handlers['connections:import']({ file_name: 'acme.csv', content: toCsvExport(snapshot, result) });
    expect(csv.kind).toBe('imported');
    expect((await handlers['inventory:load']({})).keys).toEqual(snapshot.keys);
    expect((await handlers['connections:list']({})).connections.map((c) => c.kind)).toEqual([
      'embedded',
      'imported',
      'imported',
    ]);
  });

  it('refuses a damaged file with a message naming the problem, and adds nothing', async () => {
    const { handlers } = await start();
    await expect(
      Promise.resolve().then(() => handlers['connections:import']({ file_name: 'x.csv', content: 'a,b\n1,2\n' })),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^content: x\.csv: not a Keyhold CSV export/),
    });
    expect((await handlers['connections:list']({})).connections).toHaveLength(1);
  });
});

describe('expiry notices', () => {
  it('at start: one per key due within 7 days; clicking opens that key', async () => {
    const clock = new ManualClock();
    const engine = openSqliteEngine(join(dir, 'platform.db'), { clock });
    const root = await engine.ensureRootAccount();
    const soon = (
      await engine.createKey(
        root.id,
        { label: 'Billing worker', expires_at: new Date(clock.now() + 3 * DAY).toISOString() },
        admin,
      )
    ).key;
    await engine.createKey(
      root.id,
      { label: 'Later', expires_at: new Date(clock.now() + 8 * DAY).toISOString() },
      admin,
    );
    await engine.createKey(
      root.id,
      { label: 'Revoked soon', expires_at: new Date(clock.now() + 2 * DAY).toISOString() },
      admin,
    );
    await engine.revokeKey(null, (await engine.listKeys(root.id, { q: 'Revoked soon' })).data[0]?.id as string, admin);
    await engine.close();

    await start(clock);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first check runs as the app starts
    expect(shown).toEqual([
      {
        title: 'API key expires in 3 days',
        body: `“Billing worker” (${soon.partial_key}) on This computer expires in 3 days, 2026-06-04 12:00 UTC. Rotate it before then.`,
        target: { connection_id: 'embedded', key_id: soon.id, account_id: root.id },
      },
    ]);
    clicks[0]?.();
    expect(events).toContainEqual({
      event: 'app:navigate',
      payload: { page: 'keys', connection_id: 'embedded', key: { account_id: root.id, key_id: soon.id } },
    });
  });

  it('at most one per key per day, across restarts; again the next day; "today" on the day; a summary beyond three', async () => {
    const clock = new ManualClock(Date.parse('2026-06-01T08:00:00Z'));
    const engine = openSqliteEngine(join(dir, 'platform.db'), { clock, flushIntervalMs: 0 });
    const root = await engine.ensureRootAccount();
    const due = (
      await engine.createKey(root.id, { label: 'Search API', expires_at: '2026-06-02T06:00:00.000Z' }, admin)
    ).key;
    const state = () => new AppStateRepo(openDatabase(join(dir, 'app-state.db'), { migrations: APP_MIGRATIONS }));
    let repo = state();
    repo.ensureEmbedded(clock.now());
    const timers = new ManualTimers();
    let checks = 0;
    const notices = async (r: AppStateRepo) =>
      new ExpiryNotices({
        state: r,
        embedded: await EmbeddedPlatform.open(engine, admin),
        notifier: { show: (notice) => shown.push(notice) },
        clock,
        policy: () => {
          checks++;
          return DEFAULT_AUDIT_POLICY;
        },
        open: () => {},
        timers,
      });

    let service = await notices(repo);
    service.start(() => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shown.map((n) => n.title)).toEqual(['API key expires tomorrow']); // at 06:00 UTC, 22 hours from now
    const checksBefore = checks;
    timers.advance(16 * 3600_000 + 4_999);
    expect(checks).toBe(checksBefore); // the next check waits for just after midnight UTC...
    timers.advance(1);
    expect(checks).toBe(checksBefore + 1); // ...and runs then, scheduling the one after
    expect(timers.count).toBe(1);
    expect(await service.check()).toEqual([]);

    service.stop();
    repo = state(); // a restart on the same day
    service = await notices(repo);
    expect(await service.check()).toEqual([]);

    for (let i = 0; i < 4; i++)
      await engine.createKey(root.id, { label: `Batch ${i}`, expires_at: '2026-06-05T00:00:00.000Z' }, admin);
    clock.set('2026-06-01T23:59:59.000Z');
    expect((await service.check()).map((n) => n.title)).toEqual(['4 API keys expire within 7 days']);
    clock.set('2026-06-02T00:00:05.000Z'); // past midnight UTC: a new day
    expect((await service.check()).map((n) => [n.title, 'key_id' in n.target ? n.target.key_id : 'audit'])).toEqual([
      ['5 API keys expire within 7 days', 'audit'],
    ]);
    await engine.revokeKey(null, due.id, admin);
    for (const key of (await engine.listKeys(root.id, { q: 'Batch' })).data.slice(0, 3))
      await engine.revokeKey(null, key.id, admin);
    clock.set('2026-06-03T00:00:05.000Z');
    await engine.createKey(root.id, { label: 'Evening job', expires_at: '2026-06-03T18:00:00.000Z' }, admin);
    expect((await service.check()).map((n) => n.title).sort()).toEqual([
      'API key expires in 2 days',
      'API key expires today',
    ]);
    await engine.close();
  });

  it('reads only the keys that are due: the embedded platform answers the expiring rule itself', async () => {
    const clock = new ManualClock();
    const engine = openSqliteEngine(join(dir, 'platform.db'), { clock });
    const root = await engine.ensureRootAccount();
    const later = new Date(clock.now() + 60 * DAY).toISOString();
    const due = (
      await engine.createKey(
        root.id,
        { label: 'Due soon', expires_at: new Date(clock.now() + 2 * DAY).toISOString() },
        admin,
      )
    ).key;
    for (let i = 0; i < 2500; i++) await engine.createKey(root.id, { label: `Later ${i}`, expires_at: later }, admin);
    const repo = new AppStateRepo(openDatabase(join(dir, 'app-state.db'), { migrations: APP_MIGRATIONS }));
    repo.ensureEmbedded(clock.now());
    const pages: number[] = [];
    class CountingPlatform extends EmbeddedPlatform {
      override async listKeys(...args: Parameters<EmbeddedPlatform['listKeys']>) {
        const page = await super.listKeys(...args);
        pages.push(page.data.length);
        return page;
      }
    }
    const notices = new ExpiryNotices({
      state: repo,
      embedded: new CountingPlatform(engine, admin, root.id),
      notifier: { show: (notice) => shown.push(notice) },
      clock,
      policy: () => DEFAULT_AUDIT_POLICY,
      open: () => {},
      timers: new ManualTimers(),
    });
    expect((await notices.check()).map((n) => 'key_id' in n.target && n.target.key_id)).toEqual([due.id]);
    expect(pages).toEqual([1]); // of 2,501 keys, only the one the `expiring` filter names crosses the port
    await engine.close();
  });
});

describe('the app database written by the previous version', () => {
  it('migrates: connections and caches survive the table rebuild', async () => {
    const file = join(dir, 'app-state.db');
    const v1 = openDatabase(file, { migrations: APP_MIGRATIONS.slice(0, 1) });
    v1.prepare(
      "INSERT INTO connections (id, kind, name, base_url, account_id, created_at) VALUES ('conn_1', 'remote', 'Acme', 'https://a', 'acc_1', 1)",
    ).run();
    v1.prepare(
      `INSERT INTO cached_keys (connection_id, position, data) VALUES ('conn_1', 0, '{"id":"key_1","label":"x"}')`,
    ).run();
    v1.close();
    const v2 = openDatabase(file, { migrations: APP_MIGRATIONS });
    expect(v2.prepare('SELECT id, kind, source FROM connections').all()).toEqual([
      { id: 'conn_1', kind: 'remote', source: null },
    ]);
    expect(v2.prepare('SELECT key_id FROM cached_keys').pluck().all()).toEqual(['key_1']); // keyed by id since v5
    v2.prepare("DELETE FROM connections WHERE id = 'conn_1'").run();
    expect(v2.prepare('SELECT COUNT(*) FROM cached_keys').pluck().get()).toBe(0); // the cascade still holds
    expect(v2.pragma('foreign_keys', { simple: true })).toBe(1);
    v2.close();
    expect(new Database(file).prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });
});
