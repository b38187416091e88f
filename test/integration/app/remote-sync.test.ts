// A remote connection's sync as the window runs it, against a real server (SQLite, and PostgreSQL
// in that project) and the real app database and keychain: the first sync reads every key page by
// page; later ones bring exactly what was created, changed, used or deleted; a token past the
// platform's horizon falls back to a full sync; a sync stopped halfway leaves the cache as it was.
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyholdApp } from '../../../src/main/app/create-app';
import type { ApiKey } from '../../../src/shared/domain';
import type { SyncProgress } from '../../../src/shared/ipc/window-data';
import { type KeyColumns, keysOfColumns } from '../../../src/shared/key-columns';
import { appPerTest } from '../../support/app';
import { admin } from '../../support/engine';
import { keysOnPlatform, type ServerFixture, startTestServer } from '../../support/server';

const apps = appPerTest();
let s: ServerFixture | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** Pages of `size` keys, whatever the client asks (the feed's own limit is 5,000), and a count of the asks. */
function smallPages(fixture: ServerFixture, size: number, onAsk: (n: number) => void = () => {}) {
  const read = fixture.engine.keyChanges.bind(fixture.engine);
  let asks = 0;
  fixture.engine.keyChanges = async (accountId, input) => {
    onAsk(++asks);
    return read(accountId, { ...(input as object), limit: size });
  };
}

async function connect(fixture: ServerFixture, progress: SyncProgress[] = []): Promise<KeyholdApp> {
  const app = await apps.start(undefined, (event, payload) => {
    if (event === 'inventory:progress') progress.push(payload as SyncProgress);
  });
  const added = await app.handlers['connections:add']({
    name: 'Acme',
    base_url: fixture.url,
    api_key: fixture.adminKey,
  });
  await app.handlers['connections:switch']({ id: added.id });
  return app;
}

/** Every key the app's cache holds for the active connection, as the window gets them. */
async function cached(app: KeyholdApp): Promise<Map<string, ApiKey>> {
  const { columns } = await app.handlers['inventory:keys']({});
  return new Map(keysOfColumns(JSON.parse(columns) as KeyColumns).map((key) => [key.id, key]));
}

describe('syncing a remote connection', () => {
  it('reads every key the first time, page by page, with its progress and each page for the window', async () => {
    s = await startTestServer();
    const eu = await s.engine.createSubaccount(s.rootId, { name: 'EU' });
    for (let i = 0; i < 11; i++) await s.engine.createKey(i % 2 ? eu.id : s.rootId, { label: `worker ${i}` }, admin);
    smallPages(s, 4);
    const progress: SyncProgress[] = [];
    const app = await connect(s, progress);

    const answer = await app.handlers['inventory:sync']({});
    expect(answer.changes).toBeNull(); // every key was read: the window loads them all
    expect(answer.offline).toBe(false);
    expect(answer.accounts.map((account) => account.name)).toEqual(['Acme', 'EU']);
    expect(answer.synced_at).not.toBeNull();
    expect(await cached(app)).toEqual(await keysOnPlatform(s));
    // 12 keys (the admin key too) in pages of 4: each page's keys for the window, and the count.
    expect(progress.map((event) => [event.loaded, event.total])).toEqual([
      [4, 12],
      [8, 12],
      [12, 12],
    ]);
    const shown = progress.flatMap((event) => keysOfColumns(JSON.parse(event.keys as string) as KeyColumns));
    expect(new Set(shown.map((key) => key.id))).toEqual(new Set((await keysOnPlatform(s)).keys()));
  });

  it('then brings exactly what changed, and the cache equals the platform', async () => {
    s = await startTestServer();
    const eu = await s.engine.createSubaccount(s.rootId, { name: 'EU' });
    const made = [];
    for (let i = 0; i < 8; i++)
      made.push(await s.engine.createKey(i % 2 ? eu.id : s.rootId, { label: `worker ${i}` }, admin));
    smallPages(s, 3);
    const app = await connect(s);
    await app.handlers['inventory:sync']({});
    const before = await cached(app);

    s.clock.advance(60_000);
    const created = await s.engine.createKey(eu.id, { label: 'eu deploy' }, admin);
    await s.engine.updateKey(null, made[0]?.key.id as string, { label: 'billing production' }, admin);
    await s.engine.revokeKey(null, made[1]?.key.id as string, admin);
    await s.engine.verify(made[2]?.secret as string);
    await s.engine.deleteKey(null, made[3]?.key.id as string, admin);
    await s.engine.updateAccount(eu.id, { name: 'Europe' });

    const answer = await app.handlers['inventory:sync']({});
    // The app's own key is among them: its last use moved with this sync's first request.
    const own = [...before.values()].find((key) => key.label === 'Admin key')?.id;
    expect(answer.changes?.keys.map((key) => key.id).sort()).toEqual(
      [created.key.id, made[0]?.key.id, made[1]?.key.id, made[2]?.key.id, own].sort(),
    );
    expect(answer.changes?.removed).toEqual([made[3]?.key.id]);
    expect(answer.accounts.map((account) => account.name)).toEqual(['Acme', 'Europe']);
    const after = await cached(app);
    expect(after).toEqual(await keysOnPlatform(s));
    expect(after.size).toBe(before.size); // one made, one deleted

    // Nothing changed (and this test's clock stands still, so the app's own key is not newly used): nothing comes.
    const idle = await app.handlers['inventory:sync']({});
    expect(idle.changes).toEqual({ keys: [], removed: [] });
  });

  it('falls back to a full sync when its token is older than the deletions the platform keeps', async () => {
    s = await startTestServer({ engine: { tombstoneDays: 30 } });
    const doomed = await s.engine.createKey(s.rootId, { label: 'doomed' }, admin);
    await s.engine.createKey(s.rootId, { label: 'kept' }, admin);
    const app = await connect(s);
    await app.handlers['inventory:sync']({});
    expect((await cached(app)).has(doomed.key.id)).toBe(true);

    await s.engine.deleteKey(null, doomed.key.id, admin);
    s.clock.advanceDays(31);
    await s.engine.flush(); // the tombstone is pruned: the app's token cannot be answered in full
    const answer = await app.handlers['inventory:sync']({});
    expect(answer.changes).toBeNull();
    expect(await cached(app)).toEqual(await keysOnPlatform(s));
    // And the next sync is incremental again.
    expect((await app.handlers['inventory:sync']({})).changes).toEqual({ keys: [], removed: [] });
  });

  it('leaves the cache as it was when the server stops halfway, full or incremental', async () => {
    s = await startTestServer();
    for (let i = 0; i < 9; i++) await s.engine.createKey(s.rootId, { label: `worker ${i}` }, admin);
    const fixture = s;
    const port = Number(new URL(fixture.url).port);
    let stopAt = 2; // the second ask: one page read, more to come
    smallPages(fixture, 3, (ask) => {
      if (ask !== stopAt) return;
      // The server goes away while the sync is between pages.
      fixture.app.server.close();
      fixture.app.server.closeAllConnections();
    });
    const restart = async () => {
      await new Promise<void>((resolve) => fixture.app.server.listen(port, '127.0.0.1', resolve));
    };
    const app = await connect(fixture);

    const stopped = await app.handlers['inventory:sync']({});
    expect(stopped.offline).toBe(true);
    expect(stopped.connection.last_synced_at).toBeNull();
    expect((await cached(app)).size).toBe(0); // as it was: nothing yet

    await restart();
    stopAt = 0;
    expect((await app.handlers['inventory:sync']({})).changes).toBeNull();
    const first = await cached(app);
    expect(first).toEqual(await keysOnPlatform(fixture));
    const later = [];
    for (let i = 0; i < 7; i++)
      later.push((await fixture.engine.createKey(fixture.rootId, { label: `later ${i}` }, admin)).key.id);

    stopAt = 8; // asks 1-6 were the first syncs; this sync's second ask
    const again = await app.handlers['inventory:sync']({});
    expect(again.offline).toBe(true);
    expect(await cached(app)).toEqual(first);

    // With the server back, the next sync still brings every change: its token did not move.
    await restart();
    const resumed = await app.handlers['inventory:sync']({});
    expect(resumed.changes?.keys.map((key) => key.id).sort()).toEqual(later.sort());
    expect(await cached(app)).toEqual(await keysOnPlatform(fixture));
  });

  it('on the embedded platform has nothing to fetch: it answers the account tree and asks the window to reload', async () => {
    const app = await apps.start();
    const root = (await app.handlers['inventory:load']({})).accounts[0];
    await app.handlers['accounts:create']({ parent_id: root?.id as string, name: 'EU' });
    const answer = await app.handlers['inventory:sync']({});
    expect(answer.changes).toBeNull();
    expect(answer.accounts.map((account) => account.name)).toEqual([root?.name, 'EU']);
  });
});
