// Three `keyhold serve` processes on one PostgreSQL database act as one platform: one bootstrap,
// a revoke honoured by every server on the next request, one rate limit per key whichever server
// answers, usage that adds up, and a server killed mid-writes losing nothing it acknowledged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyEngine } from '../../../src/platform/engine';
import { PostgresStore } from '../../../src/platform/store/postgres/postgres-store';
import { freshDatabase } from '../../support/engine';
import { type ServerProcess, startServerProcess } from '../../support/serve-process';

// Each key's burst; the admin key's calls in these tests stay well under it.
const BURST = 200;
const cwd = mkdtempSync(join(tmpdir(), 'keyhold-multi-'));
let database: { url: string; drop: () => Promise<void> };
let servers: ServerProcess[] = [];
let adminKey: string;

const call = (server: ServerProcess, path: string, key: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });

async function createKey(server: ServerProcess, label: string): Promise<{ id: string; secret: string }> {
  const response = await call(server, '/v1/accounts/me/api-keys', adminKey, {
    method: 'POST',
    body: JSON.stringify({ label }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; secret: string };
}

/** An engine of this test's own on the database, to read what the servers wrote. */
async function reader(): Promise<KeyEngine> {
  return new KeyEngine(await PostgresStore.connect(database.url, { poolSize: 2 }), { flushIntervalMs: 0 });
}

beforeAll(async () => {
  database = await freshDatabase();
  // All three at once on the empty database: each races to bootstrap it.
  servers = await Promise.all(
    [0, 1, 2].map(() =>
      startServerProcess(
        [
          '--database-url',
          database.url,
          '--key-burst',
          String(BURST),
          '--key-rate',
          '0.001',
          '--usage-flush-ms',
          '100',
        ],
        { cwd },
      ),
    ),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await database?.drop();
  rmSync(cwd, { recursive: true, force: true });
});

describe('three servers on one PostgreSQL database', () => {
  it('bootstrap once: one root account and one admin key, printed by exactly one server', async () => {
    const printed = servers.map((server) => server.adminKey).filter((key) => key !== null);
    expect(printed).toHaveLength(1);
    adminKey = printed[0] as string;
    const engine = await reader();
    try {
      expect((await engine.store.accounts.list()).filter((account) => account.parent_id === null)).toHaveLength(1);
      const root = await engine.ensureRootAccount();
      expect((await engine.listKeys(root.id)).data.map((key) => key.label)).toEqual(['Bootstrap admin key']);
    } finally {
      await engine.close();
    }
    for (const server of servers) expect((await call(server, '/v1/accounts/me', adminKey)).status).toBe(200);
  });

  it('a revoke acknowledged by the first server is a 401 on the next request to the second and third', async () => {
    const [first, second, third] = servers as [ServerProcess, ServerProcess, ServerProcess];
    for (let round = 0; round < 5; round++) {
      const key = await createKey(first, `Revoked in round ${round}`);
      // Every server has the key cached as valid before the revoke.
      for (const server of servers) expect((await call(server, '/v1/accounts/me', key.secret)).status).toBe(200);
      const revoked = await call(first, `/v1/accounts/me/api-keys/${key.id}/revoke`, adminKey, { method: 'POST' });
      expect(revoked.status).toBe(200);
      const [onSecond, onThird] = await Promise.all([
        call(second, '/v1/accounts/me', key.secret),
        call(third, '/v1/accounts/me', key.secret),
      ]);
      expect([onSecond.status, onThird.status]).toEqual([401, 401]);
      expect(await onSecond.json()).toMatchObject({ error: { message: 'The API key has been revoked.' } });
    }
  });

  it('a delete and a deactivation acknowledged by the first server hold on the next request to the others', async () => {
    const [first, second, third] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const deleted = await createKey(first, 'Deleted on the first');
    const sub = (await (
      await call(first, '/v1/accounts/me/subaccounts', adminKey, {
        method: 'POST',
        body: JSON.stringify({ name: 'EU' }),
      })
    ).json()) as { id: string };
    const inSub = await call(first, `/v1/accounts/${sub.id}/api-keys`, adminKey, {
      method: 'POST',
      body: JSON.stringify({ label: 'EU worker' }),
    });
    const subKey = (await inSub.json()) as { secret: string };
    for (const server of [second, third]) {
      expect((await call(server, '/v1/accounts/me', deleted.secret)).status).toBe(200);
      expect((await call(server, '/v1/accounts/me', subKey.secret)).status).toBe(200);
    }
    expect((await call(first, `/v1/accounts/me/api-keys/${deleted.id}`, adminKey, { method: 'DELETE' })).status).toBe(
      204,
    );
    const deactivated = await call(first, `/v1/accounts/${sub.id}`, adminKey, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'inactive' }),
    });
    expect(deactivated.status).toBe(200);
    for (const server of [second, third]) {
      expect((await call(server, '/v1/accounts/me', deleted.secret)).status).toBe(401);
      const inactive = await call(server, '/v1/accounts/me', subKey.secret);
      expect(inactive.status).toBe(403);
      expect(await inactive.json()).toMatchObject({ error: { code: 'account_inactive' } });
    }
  });

  it('a burst spread over the three gets exactly the configured number of 200s, and every call is counted', async () => {
    const key = await createKey(servers[0] as ServerProcess, 'Bursting client');
    const statuses = await Promise.all(
      Array.from({ length: BURST * 3 }, (_, i) =>
        call(servers[i % 3] as ServerProcess, '/v1/accounts/me', key.secret).then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(BURST);
    expect(statuses.filter((status) => status === 429)).toHaveLength(BURST * 2);

    // Usage written behind by each server (every 100 ms) adds up: the burst served, twice that refused.
    const engine = await reader();
    try {
      await expect
        .poll(async () => (await engine.keyUsage(null, key.id, 1))[0], { timeout: 10_000 })
        .toMatchObject({ count: BURST, rate_limited: BURST * 2 });
    } finally {
      await engine.close();
    }
  });

  it('usage from all three adds up exactly under concurrent calls', async () => {
    const key = await createKey(servers[1] as ServerProcess, 'Busy worker');
    const CALLS = 24; // under the burst: every call is served
    await Promise.all(
      Array.from({ length: CALLS }, (_, i) => call(servers[i % 3] as ServerProcess, '/v1/accounts/me', key.secret)),
    );
    const engine = await reader();
    try {
      await expect
        .poll(async () => (await engine.keyUsage(null, key.id, 1))[0]?.count, { timeout: 10_000 })
        .toBe(CALLS);
      expect((await engine.getKey(null, key.id)).last_used_at).not.toBeNull();
    } finally {
      await engine.close();
    }
  });

  it('kill -9 of one server mid-writes: the others keep serving and every acknowledged write is there', async () => {
    const [victim, ...survivors] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const acknowledged: string[] = [];
    let stop = false;
    // Four writers creating keys on the victim until it dies.
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let i = 0; !stop; i++) {
        try {
          const response = await call(victim, '/v1/accounts/me/api-keys', adminKey, {
            method: 'POST',
            body: JSON.stringify({ label: `Written by ${writer}, ${i}` }),
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the connection died with the server
        }
      }
    });
    while (acknowledged.length < 20) await new Promise((done) => setTimeout(done, 10));
    await victim.stop('SIGKILL');
    stop = true;
    await Promise.all(writers);
    servers = survivors;

    for (const server of survivors) {
      expect((await call(server, '/v1/accounts/me', adminKey)).status).toBe(200);
      const fresh = await createKey(server, 'After the crash');
      expect((await call(server, `/v1/accounts/me/api-keys/${fresh.id}`, adminKey)).status).toBe(200);
    }
    for (const id of acknowledged) {
      expect((await call(survivors[0] as ServerProcess, `/v1/accounts/me/api-keys/${id}`, adminKey)).status).toBe(200);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);
  }, 30_000);
});
