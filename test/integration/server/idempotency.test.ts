// Idempotent POSTs on the real server and store (SQLite, and PostgreSQL in that project): the same
// Idempotency-Key gets the first answer and runs once; another request or caller with it is
// refused; the answer at rest never holds the secret in the clear; the SDK sends a key on every
// POST and retries a create whose answer was lost without making a second key.
import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/platform/store/postgres/postgres-store';
import { openDatabase } from '../../../src/platform/store/sqlite/database';
import { PLATFORM_MIGRATIONS } from '../../../src/platform/store/sqlite/migrations';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import type { SqliteStore } from '../../../src/platform/store/sqlite/sqlite-store';
import { KeyholdClient } from '../../../src/sdk';
import { ManualClock } from '../../support/clock';
import { admin, TEST_STORE } from '../../support/engine';
import { keysOnPlatform, type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

function post(
  fixture: ServerFixture,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  key = fixture.adminKey,
) {
  return fetch(`${fixture.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Every idempotent request the store holds, raw. */
async function storedRows(fixture: ServerFixture): Promise<Record<string, unknown>[]> {
  const store = fixture.engine.store;
  if (store instanceof PostgresStore) return (await store.pool.query('SELECT * FROM idempotent_requests')).rows;
  return (store as SqliteStore).db.prepare('SELECT * FROM idempotent_requests').all() as Record<string, unknown>[];
}

/** Replaces the answer of the one idempotent request the store holds. */
async function setStoredBody(fixture: ServerFixture, body: Buffer): Promise<void> {
  const store = fixture.engine.store;
  if (store instanceof PostgresStore) await store.pool.query('UPDATE idempotent_requests SET body = $1', [body]);
  else (store as SqliteStore).db.prepare('UPDATE idempotent_requests SET body = ?').run(body);
}

/** A claim as a server that stopped mid-request leaves it: no answer. */
async function insertClaim(
  fixture: ServerFixture,
  claim: { id: Buffer; caller: string; fingerprint: Buffer; claimedAt: number },
): Promise<void> {
  const values = [claim.id, claim.caller, claim.fingerprint, claim.claimedAt, claim.claimedAt];
  const sql = `INSERT INTO idempotent_requests (id, caller, fingerprint, status, body, claimed_at, created_at)
    VALUES ($1, $2, $3, NULL, NULL, $4, $5)`;
  const store = fixture.engine.store;
  if (store instanceof PostgresStore) await store.pool.query(sql, values);
  else (store as SqliteStore).db.prepare(sql.replace(/\$\d/g, '?')).run(...values);
}

/** AES-256-GCM as the platform keeps an answer: nonce, tag, ciphertext of its JSON. */
function sealed(key: Buffer, answer: unknown): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const text = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), text]);
}

/** The text a box holds. */
function opened(key: Buffer, box: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(0, 12));
  decipher.setAuthTag(box.subarray(12, 28));
  return Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8');
}

describe('Idempotency-Key', () => {
  it('runs a create once and answers a repeat with the first answer, byte for byte, whose secret is sealed at rest', async () => {
    s = await startTestServer();
    const headers = { 'idempotency-key': 'c0ffee00-5e1d-4d7a-9f0a-2b7c8e9d1a11' };
    const first = await post(s, '/v1/accounts/me/api-keys', { label: 'CI deploy' }, headers);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const firstText = await first.text();
    const created = JSON.parse(firstText) as { id: string; secret: string };
    const again = await post(s, '/v1/accounts/me/api-keys', { label: 'CI deploy' }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await again.text()).toBe(firstText);
    expect([...(await keysOnPlatform(s)).values()].filter((key) => key.label === 'CI deploy')).toHaveLength(1);

    // At rest: neither the key, nor the secret, nor the answer in the clear.
    const rows = await storedRows(s);
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows.map((row) => Object.values(row).map((value) => String(value))));
    const bytes = rows.map((row) => Buffer.from(row.body as Uint8Array).toString('latin1')).join('');
    for (const secret of [
      created.secret,
      created.secret.split('.')[1] as string,
      created.id,
      headers['idempotency-key'],
    ]) {
      expect(raw).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
    // Sealed under NIST SP 800-56C's one-step KDF: SHA-256(counter 1, the key, the purpose, the caller).
    const [row] = rows;
    const caller = String(row?.caller);
    const box = Buffer.from(row?.body as Uint8Array);
    const key = hash(
      'sha256',
      `\0\0\0\x01${headers['idempotency-key']}\0keyhold idempotent answer\0${caller}`,
      'buffer',
    );
    expect(opened(key, box)).toBe(firstText); // the text sent, kept as it was sent

    // A row sealed by an earlier version (HKDF-SHA256, salted with the caller) still replays.
    const hkdfKey = Buffer.from(
      hkdfSync('sha256', headers['idempotency-key'], caller, 'keyhold idempotent answer', 32),
    );
    await setStoredBody(s, sealed(hkdfKey, created));
    const afterUpgrade = await post(s, '/v1/accounts/me/api-keys', { label: 'CI deploy' }, headers);
    expect(afterUpgrade.headers.get('idempotent-replayed')).toBe('true');
    expect(await afterUpgrade.json()).toEqual(created);
  });

  it('refuses the key with another request (422) or from another caller (409), and a malformed key (400)', async () => {
    s = await startTestServer();
    const headers = { 'idempotency-key': 'order-7781' };
    expect((await post(s, '/v1/accounts/me/subaccounts', { name: 'EU' }, headers)).status).toBe(201);
    const other = await post(s, '/v1/accounts/me/subaccounts', { name: 'US' }, headers);
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({
      error: { code: 'idempotency_mismatch', param: 'Idempotency-Key', doc_url: '/v1/errors#idempotency_mismatch' },
    });
    const second = (await s.engine.createKey(s.rootId, { label: 'Second admin' }, admin)).secret;
    const stranger = await post(s, '/v1/accounts/me/subaccounts', { name: 'EU' }, headers, second);
    expect(stranger.status).toBe(409);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('idempotency_conflict');
    for (const bad of ['x'.repeat(256), 'caf\u00e9', '']) {
      const answer = await post(s, '/v1/accounts/me/subaccounts', { name: 'APAC' }, { 'idempotency-key': bad });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { param: string } }).error.param).toBe('Idempotency-Key');
    }
    expect((await s.client().accounts.subaccounts()).map((account) => account.name)).toEqual(['EU']);
  });

  it('makes a repeat of a create that is still running wait for it and replay its answer', async () => {
    s = await startTestServer();
    const fixture = s;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const create = fixture.engine.createKey.bind(fixture.engine);
    let calls = 0;
    let entered = () => {};
    const running = new Promise<void>((resolve) => {
      entered = resolve;
    });
    fixture.engine.createKey = async (...args) => {
      if (++calls === 1) {
        entered();
        await held;
      }
      return create(...args);
    };
    const headers = { 'idempotency-key': 'slow-create' };
    const first = post(fixture, '/v1/accounts/me/api-keys', { label: 'Slow' }, headers);
    await running; // the claim is made, in the create's transaction
    const duplicate = post(fixture, '/v1/accounts/me/api-keys', { label: 'Slow' }, headers);
    release();
    const [one, two] = await Promise.all([first, duplicate]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.headers.get('idempotent-replayed')).toBe('true');
    expect(await two.json()).toEqual(await one.json());
    // One key made: on SQLite the repeat's own work ran after the first's commit and was rolled back.
    expect([...(await keysOnPlatform(fixture)).values()].filter((key) => key.label === 'Slow')).toHaveLength(1);
  });

  it('answers 409 while a request outside one transaction runs, runs a failed one again, and forgets a key after a day', async () => {
    s = await startTestServer();
    const fixture = s;
    const { key } = await fixture.engine.createKey(fixture.rootId, { label: 'To revoke' }, admin);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const revoke = fixture.engine.revokeKey.bind(fixture.engine);
    let calls = 0;
    fixture.engine.revokeKey = async (...args) => {
      if (++calls === 1) await held;
      return revoke(...args);
    };
    const path = `/v1/accounts/me/api-keys/${key.id}/revoke`;
    const first = post(fixture, path, {}, { 'idempotency-key': 'slow-revoke' });
    // Until the first has claimed the key, a duplicate may claim it instead: wait for the claim.
    for (let i = 0; i < 100 && (await storedRows(fixture)).length === 0; i++) await new Promise((r) => setImmediate(r));
    const duplicate = await post(fixture, path, {}, { 'idempotency-key': 'slow-revoke' });
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as { error: { message: string } }).error.message).toContain('still running');
    release();
    expect((await first).status).toBe(200);
    const headers = { 'idempotency-key': 'slow-create' };
    expect((await post(fixture, '/v1/accounts/me/api-keys', { label: 'Slow' }, headers)).status).toBe(201);

    // A request that fails is not kept: sent again (fixed), it runs.
    const failed = await post(fixture, '/v1/accounts/me/api-keys', { label: '' }, { 'idempotency-key': 'try-twice' });
    expect(failed.status).toBe(400);
    expect(
      (await post(fixture, '/v1/accounts/me/api-keys', { label: '' }, { 'idempotency-key': 'try-twice' })).status,
    ).toBe(400);

    fixture.clock.advance(24 * 3600_000 + 1);
    await fixture.engine.flush();
    const later = await post(fixture, '/v1/accounts/me/api-keys', { label: 'Slow' }, headers);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });

  it('replays the first answer to a repeat that would fail if run now (its expiry has passed)', async () => {
    s = await startTestServer();
    const headers = { 'idempotency-key': 'expiring' };
    const body = { label: 'Short-lived', expires_at: new Date(s.clock.now() + 3600_000).toISOString() };
    const first = await post(s, '/v1/accounts/me/api-keys', body, headers);
    expect(first.status).toBe(201);
    s.clock.advance(2 * 3600_000);
    expect((await post(s, '/v1/accounts/me/api-keys', body, { 'idempotency-key': 'new' })).status).toBe(400);
    const again = await post(s, '/v1/accounts/me/api-keys', body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
  });

  it('takes over a claim its server left unfinished a minute ago, and not a newer one', async () => {
    s = await startTestServer();
    const fixture = s;
    const { key } = await fixture.engine.createKey(fixture.rootId, { label: 'To revoke' }, admin);
    // The caller's label as the server files it, from a request of its own.
    expect(
      (await post(fixture, '/v1/accounts/me/subaccounts', { name: 'EU' }, { 'idempotency-key': 'mine' })).status,
    ).toBe(201);
    const caller = String((await storedRows(fixture))[0]?.caller);
    const requests = [
      { path: '/v1/accounts/me/api-keys', body: { label: 'Left behind' }, status: 201 }, // one transaction
      { path: `/v1/accounts/me/api-keys/${key.id}/revoke`, body: {}, status: 200 }, // claim, then work
    ];
    for (const [index, { path, body, status }] of requests.entries()) {
      const fingerprint = hash('sha256', `POST ${path}\n${JSON.stringify(body)}`, 'buffer');
      const leftAt = fixture.clock.now();
      for (const [suffix, claimedAt] of [
        ['old', leftAt - 61_000],
        ['new', leftAt - 1_000],
      ] as const) {
        const idempotencyKey = `left-${index}-${suffix}`;
        const id = hash('sha256', `keyhold idempotency\0${idempotencyKey}`, 'buffer');
        await insertClaim(fixture, { id, caller, fingerprint, claimedAt });
        const answer = await post(fixture, path, body, { 'idempotency-key': idempotencyKey });
        if (suffix === 'new') {
          expect(answer.status).toBe(409);
          continue;
        }
        expect(answer.status).toBe(status);
        expect(answer.headers.get('idempotent-replayed')).toBeNull();
        const replay = await post(fixture, path, body, { 'idempotency-key': idempotencyKey });
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(await replay.json()).toEqual(await answer.json());
      }
    }
    expect([...(await keysOnPlatform(fixture)).values()].filter((k) => k.label === 'Left behind')).toHaveLength(1);
  });

  it('lets the SDK retry a create whose answer was lost, making one key', async () => {
    s = await startTestServer();
    const fixture = s;
    // Between the SDK and the server: the first 201 never arrives (the connection drops after the key is made).
    let dropped = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      sockets.add(client);
      const upstream = connect(Number(new URL(fixture.url).port), '127.0.0.1');
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (!dropped && chunk.toString('latin1').startsWith('HTTP/1.1 201')) {
          dropped = true;
          client.destroy();
          upstream.destroy();
        } else client.write(chunk);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new KeyholdClient({
        baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        apiKey: fixture.adminKey,
        retry: { maxRetries: 2 },
        sleep: async () => {},
      });
      const created = await client.apiKeys.create('me', { label: 'Lost answer' });
      expect(dropped).toBe(true);
      const made = [...(await keysOnPlatform(fixture)).values()].filter((key) => key.label === 'Lost answer');
      expect(made.map((key) => key.id)).toEqual([created.id]);
    } finally {
      for (const socket of sockets) socket.destroy(); // the SDK's kept-alive connection
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it.runIf(TEST_STORE === 'sqlite')(
    'keeps the answers of a database made before migration 10 (rows in arrival order) and replays them',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keyhold-upgrade-'));
      const file = join(dir, 'keyhold.db');
      try {
        const clock = new ManualClock();
        // An answer kept, then its table put back in migration 9's layout, as an older build left it.
        let engine = openSqliteEngine(file, { clock });
        const root = (await engine.ensureRootAccount('Acme')).id;
        const run = async () => ({
          status: 201,
          json: JSON.stringify(await engine.createSubaccount(root, { name: 'EU' }, admin)),
        });
        const first = await engine.idempotency.perform('order-1', 'key sk-1', 'POST /x', run, false);
        await engine.close();
        const db = openDatabase(file, { migrations: PLATFORM_MIGRATIONS });
        db.exec(`CREATE TABLE old_layout (id BLOB PRIMARY KEY, caller TEXT NOT NULL, fingerprint BLOB NOT NULL,
          status INTEGER, body BLOB, claimed_at INTEGER NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;
          INSERT INTO old_layout SELECT * FROM idempotent_requests; DROP TABLE idempotent_requests;
          ALTER TABLE old_layout RENAME TO idempotent_requests; DELETE FROM schema_migrations WHERE version = 10;`);
        db.close();
        engine = openSqliteEngine(file, { clock });
        const again = await engine.idempotency.perform('order-1', 'key sk-1', 'POST /x', run, false);
        expect(again).toEqual({ ...first, replayed: true });
        await engine.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
