// The keys' use in main, for the audit's activity rules: read live from the embedded platform
// (its window follows the policy), and from a remote one at each sync into the app database,
// where it stays for offline audits and goes with its connection. Real engine, real server, real
// app database and the real OS keychain (for the remote connection's key).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { DEFAULT_AUDIT_POLICY } from '../../../src/shared/audit';
import { DAY_MS } from '../../../src/shared/utc-time';
import { appPerTest } from '../../support/app';
import { ManualClock } from '../../support/clock';
import { admin } from '../../support/engine';
import { startTestServer } from '../../support/server';

const apps = appPerTest();

const request = (keyId: string, at: number, userAgent: string, outcome: 'ok' | 'revoked' = 'ok') => ({
  at,
  keyId,
  accountId: null,
  method: 'GET',
  route: '/v1/accounts/:accountId',
  status: outcome === 'ok' ? 200 : 401,
  outcome,
  address: '203.0.113.7',
  userAgent,
  requestId: `req_${at}`,
});

describe("the keys' use in the app", () => {
  it('embedded: read live, counted from the policy’s activity window', async () => {
    const clock = new ManualClock();
    const dir = apps.folder();
    const seeding = openSqliteEngine(join(dir, 'platform.db'), { flushIntervalMs: 0, clock });
    const root = (await seeding.ensureRootAccount()).id;
    const { key } = await seeding.createKey(root, { label: 'Billing worker' }, admin);
    const now = clock.now();
    seeding.logRequest(request(key.id, now - 20 * DAY_MS, 'billing/1.0'));
    seeding.logRequest(request(key.id, now - DAY_MS, 'stranger/2.0'));
    await seeding.close();

    const running = await apps.start(clock);
    const read = await running.handlers['inventory:use']({});
    expect(read.since).toBe(new Date(now - 7 * DAY_MS).toISOString());
    expect(read.missing_reason).toBeNull();
    expect(read.use).toEqual([
      {
        key_id: key.id,
        first_source_at: new Date(now - 20 * DAY_MS).toISOString(),
        newest_source_at: new Date(now - DAY_MS).toISOString(),
        recent_sources: 1,
        refused_attempts: 0,
      },
    ]);
    // A wider window in Settings counts both sources.
    await running.handlers['audit:setPolicy']({ policy: { ...DEFAULT_AUDIT_POLICY, recentUseDays: 30 } });
    expect((await running.handlers['inventory:use']({})).use[0]?.recent_sources).toBe(2);
  });

  it('remote: cached at each sync, read offline, and removed with its connection', async () => {
    const platform = await startTestServer();
    let stopped = false;
    try {
      const { key, secret } = await platform.engine.createKey(platform.rootId, { label: 'Remote worker' }, admin);
      for (const agent of ['billing/1.0', 'stranger/2.0']) {
        const answer = await fetch(`${platform.url}/v1/accounts/me`, {
          headers: { authorization: `Bearer ${secret}`, 'user-agent': agent },
        });
        expect(answer.status).toBe(200);
      }
      // The app's clock is the platform's, so the requests fall in its window.
      const running = await apps.start(platform.clock);
      const added = await running.handlers['connections:add']({
        name: 'Acme',
        base_url: platform.url,
        api_key: platform.adminKey,
      });
      await running.handlers['connections:switch']({ id: added.id });
      expect((await running.handlers['inventory:use']({})).missing_reason).toMatch(/next sync/);

      await running.handlers['inventory:sync']({});
      const synced = await running.handlers['inventory:use']({});
      expect(synced.connection_id).toBe(added.id);
      expect(synced.since).toBe(new Date(platform.clock.now() - 7 * DAY_MS).toISOString());
      expect(synced.use.find((use) => use.key_id === key.id)).toMatchObject({ recent_sources: 2, refused_attempts: 0 });

      await platform.stop();
      stopped = true;
      const offline = await running.handlers['inventory:sync']({});
      expect(offline.offline).toBe(true);
      expect((await running.handlers['inventory:use']({})).use).toEqual(synced.use); // the last copy

      await running.handlers['connections:switch']({ id: 'embedded' });
      await running.handlers['connections:remove']({ id: added.id });
      const { default: Database } = await import('better-sqlite3');
      const appDb = new Database(join(apps.folder(), 'app-state.db'), { readonly: true });
      expect(appDb.prepare('SELECT count(*) FROM cached_key_use').pluck().get()).toBe(0);
      appDb.close();
    } finally {
      if (!stopped) await platform.stop();
    }
  });
});
