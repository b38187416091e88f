import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { KeyholdApp } from '../../../src/main/app/create-app';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { RemotePlatform } from '../../../src/sdk/remote-platform';
import type { ApiKey } from '../../../src/shared/domain';
import { type KeyColumns, keysOfColumns } from '../../../src/shared/key-columns';
import { allKeys } from '../../../src/shared/platform-reads';
import { appPerTest } from '../../support/app';
import { admin } from '../../support/engine';
import { startTestServer } from '../../support/server';

const apps = appPerTest();

const byId = (keys: ApiKey[]) => [...keys].sort((a, b) => (a.id < b.id ? -1 : 1));
const everyKey = async (running: KeyholdApp) => {
  const reply = await running.handlers['inventory:keys']({});
  return { ...reply, keys: byId(keysOfColumns(JSON.parse(reply.columns) as KeyColumns)) };
};

describe('every key of the embedded platform', () => {
  it('is read ahead at start, and a change made since by another process is in the answer', async () => {
    const dir = apps.folder();
    const seeding = openSqliteEngine(join(dir, 'platform.db'), { flushIntervalMs: 0 });
    const root = (await seeding.ensureRootAccount()).id;
    const region = await seeding.createSubaccount(root, { name: 'Region 1' });
    const made = [];
    for (let i = 0; i < 250; i++)
      made.push(await seeding.createKey(i % 2 ? region.id : root, { label: `service ${i}` }, admin));
    await seeding.close();

    const running = await apps.start();
    await setImmediate(); // the read ahead has run
    const head = await running.handlers['inventory:load']({});
    expect(head.keys).toHaveLength(200);
    expect(head.complete).toBe(false);

    // Another process (the CLI, a server on the same file) revokes a key after the read ahead.
    const other = openSqliteEngine(join(dir, 'platform.db'), { flushIntervalMs: 0 });
    const revoked = await other.revokeKey(null, made[7]?.key.id as string, admin);
    await other.close();

    const reply = await everyKey(running);
    expect(reply.connection_id).toBe(head.connection.id);
    expect(reply.keys).toHaveLength(250);
    expect(reply.keys.find((key) => key.id === revoked.id)?.status).toBe('revoked');
    for (const { secret } of made) expect(reply.columns).not.toContain(secret.split('.')[1]); // no secret crosses

    // A change made through the window is there on the next read too.
    const created = await running.handlers['keys:create']({ account_id: region.id, label: 'made in the window' });
    const again = await everyKey(running);
    expect(again.keys).toHaveLength(251);
    expect(again.keys).toContainEqual(created.key);
  });
});

describe('every key of a remote connection', () => {
  it('comes from the synced cache, the same keys as the platform lists', async () => {
    const platform = await startTestServer();
    try {
      const sub = await platform.engine.createSubaccount(platform.rootId, { name: 'EU' });
      for (let i = 0; i < 30; i++) {
        await platform.engine.createKey(i % 3 ? sub.id : platform.rootId, { label: `remote ${i}` }, admin);
      }
      const running = await apps.start();
      const added = await running.handlers['connections:add']({
        name: 'Acme',
        base_url: platform.url,
        api_key: platform.adminKey,
      });
      await running.handlers['connections:switch']({ id: added.id });
      const synced = await running.handlers['inventory:sync']({});
      const listed = await allKeys(new RemotePlatform(platform.client()), platform.rootId);
      const reply = await everyKey(running);
      expect(synced.connection.kind).toBe('remote');
      expect(reply.connection_id).toBe(added.id);
      expect(reply.keys).toHaveLength(31); // and the admin key
      expect(reply.keys).toEqual(byId(listed));
    } finally {
      await platform.stop();
    }
  });
});
