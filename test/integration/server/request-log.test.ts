// The request log over HTTP, on the real server and store (SQLite, and PostgreSQL in that
// project): what is logged for each outcome, paging and filters, sources, retention, and that no
// secret reaches any logged field. Reads go through the SDK, as a client author's would.
import { afterEach, describe, expect, it } from 'vitest';
import { KeyholdClient } from '../../../src/sdk';
import { DAY_MS } from '../../../src/shared/utc-time';
import { ManualClock } from '../../support/clock';
import { admin } from '../../support/engine';
import { get, rawRequest } from '../../support/raw-http';
import { RELAXED_LIMITS, type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => s?.stop());

const call = (fixture: ServerFixture, path: string, key: string, headers: Record<string, string> = {}) =>
  fetch(`${fixture.url}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });

/** A key that always answers wrong: the right public id, another secret, a valid checksum. */
async function wrongSecretFor(partialKey: string): Promise<string> {
  const { generateKey } = await import('../../../src/shared/key-format');
  return generateKey(partialKey.slice(3), (size) => new Uint8Array(size).fill(7));
}

describe('the request log', () => {
  it('logs each outcome of a known key with route, status, source and request id, and nothing for unknown ones', async () => {
    const rateClock = new ManualClock();
    const fixture = await startTestServer({
      rateLimits: { ...RELAXED_LIMITS, perKey: { name: 'key', capacity: 2, refillPerSecond: 1 } },
      rateClock,
    });
    s = fixture;
    const eu = await fixture.engine.createSubaccount(fixture.rootId, { name: 'EU' });
    const euDev = await fixture.engine.createSubaccount(eu.id, { name: 'EU dev' });
    const paused = await fixture.engine.createSubaccount(fixture.rootId, { name: 'Paused' });
    const euKey = await fixture.engine.createKey(eu.id, { label: 'EU worker' }, admin);
    const revoked = await fixture.engine.createKey(fixture.rootId, { label: 'Old worker' }, admin);
    const expiring = await fixture.engine.createKey(
      fixture.rootId,
      { label: 'Short-lived', expires_at: '2026-06-01T13:00:00Z' },
      admin,
    );
    const pausedKey = await fixture.engine.createKey(paused.id, { label: 'Paused worker' }, admin);
    const gone = await fixture.engine.createKey(fixture.rootId, { label: 'Gone' }, admin);
    await fixture.engine.revokeKey(null, revoked.key.id, admin);
    await fixture.engine.updateAccount(paused.id, { status: 'inactive' });
    await fixture.engine.deleteKey(null, gone.key.id, admin);

    const ua = { 'user-agent': 'curl/8.5.0', 'x-request-id': 'client-req-1' };
    const served = await call(fixture, '/v1/accounts/me', euKey.secret, ua);
    expect(served.status).toBe(200);
    expect(served.headers.get('request-id')).toBe('client-req-1');
    expect((await call(fixture, `/v1/accounts/${euDev.id}`, euKey.secret, ua)).status).toBe(200);
    expect((await call(fixture, '/v1/accounts/me', await wrongSecretFor(euKey.key.partial_key), ua)).status).toBe(401);
    expect((await call(fixture, `/v1/accounts/${fixture.rootId}`, euKey.secret, ua)).status).toBe(403);
    expect((await call(fixture, '/v1/accounts/me', revoked.secret)).status).toBe(401);
    fixture.clock.advance(2 * 3600_000);
    expect((await call(fixture, '/v1/accounts/me', expiring.secret)).status).toBe(401);
    expect((await call(fixture, '/v1/accounts/me', pausedKey.secret)).status).toBe(403);
    expect((await call(fixture, '/v1/accounts/me', euKey.secret, ua)).status).toBe(429); // its third call: burst spent
    // Nothing to log against: an id nobody holds now, and a malformed key.
    expect((await call(fixture, '/v1/accounts/me', gone.secret)).status).toBe(401);
    expect((await call(fixture, '/v1/accounts/me', 'sk-12345678.short')).status).toBe(401);

    // Read through the engine: the admin key has the same small burst.
    const euLog = (await fixture.engine.keyRequests(eu.id, euKey.key.id, {})).data;
    expect(euLog.map((r) => [r.outcome, r.status, r.account_id])).toEqual([
      ['rate_limited', 429, null],
      ['unreachable', 403, fixture.rootId],
      ['wrong_secret', 401, null],
      ['ok', 200, euDev.id],
      ['ok', 200, null],
    ]);
    expect(euLog[4]).toEqual({
      id: expect.any(String),
      at: '2026-06-01T12:00:00.000Z',
      method: 'GET',
      route: '/v1/accounts/:accountId',
      status: 200,
      outcome: 'ok',
      account_id: null,
      address: '127.0.0.1',
      user_agent: 'curl/8.5.0',
      source_id: expect.any(String),
      request_id: 'client-req-1',
    });
    const outcomeOf = async (accountId: string, keyId: string) =>
      (await fixture.engine.keyRequests(accountId, keyId, {})).data.map((r) => [r.outcome, r.status]);
    expect(await outcomeOf(fixture.rootId, revoked.key.id)).toEqual([['revoked', 401]]);
    expect(await outcomeOf(fixture.rootId, expiring.key.id)).toEqual([['expired', 401]]);
    expect(await outcomeOf(paused.id, pausedKey.key.id)).toEqual([['account_inactive', 403]]);
    // Our own request ids when the client sends none: req_ and 16 hex, one per request.
    const ids = (await fixture.engine.keyRequests(null, revoked.key.id, {})).data.map((r) => r.request_id);
    expect(ids[0]).toMatch(/^req_[0-9a-f]{16}$/);
    expect(await fixture.engine.store.requestLog.list(gone.key.id, everything)).toEqual([]);
    // The access log names the refused key too, and every line its request id.
    expect(fixture.logs.find((line) => line.includes(' 401 ') && line.includes(revoked.key.partial_key))).toMatch(
      / req=req_[0-9a-f]{16}$/,
    );
  });

  it("gives a key's last use with its address, user agent and route, and null before any", async () => {
    s = await startTestServer();
    const fixture = s;
    const client = new KeyholdClient({ baseUrl: fixture.url, apiKey: fixture.adminKey });
    const { key, secret } = await fixture.engine.createKey(fixture.rootId, { label: 'Used key' }, admin);
    expect((await client.apiKeys.get(fixture.rootId, key.id)).last_use).toBeNull();
    await call(fixture, `/v1/accounts/me/api-keys?limit=1`, secret, { 'user-agent': 'curl/8.5.0' });
    fixture.clock.advance(60_000);
    await call(fixture, '/v1/accounts/me', await wrongSecretFor(key.partial_key)); // refused: not a use
    expect((await client.apiKeys.get(fixture.rootId, key.id)).last_use).toEqual({
      at: '2026-06-01T12:00:00.000Z',
      address: '127.0.0.1',
      user_agent: 'curl/8.5.0',
      method: 'GET',
      route: '/v1/accounts/:accountId/api-keys',
    });
  });

  it('keeps the user agent as text: hidden characters escaped, at most 256 characters', async () => {
    s = await startTestServer();
    const key = await s.engine.createKey(s.rootId, { label: 'Agent key' }, admin);
    const host = new URL(s.url).host;
    // Raw bytes, as a hostile client sends them: a C1 control (NEL) and an 8-bit ANSI escape (CSI).
    // (HTTP parsers refuse 7-bit controls such as ESC in a header; these pass as obs-text.)
    const line = Buffer.from('User-Agent: evil\u0085agent \u009b31mred', 'latin1');
    const answer = await rawRequest(s.url, [
      ...get('/v1/accounts/me', host, [`Authorization: Bearer ${key.secret}`]),
      line,
    ]);
    expect(answer.status).toBe(200);
    expect((await call(s, '/v1/accounts/me', key.secret, { 'user-agent': `long/${'x'.repeat(400)}` })).status).toBe(
      200,
    );
    const [long, evil] = (await s.engine.keyRequests(null, key.key.id, {})).data;
    expect(evil?.user_agent).toBe('evil\\u{85}agent \\u{9b}31mred');
    expect(long?.user_agent).toHaveLength(256);
    expect(long?.user_agent.endsWith('…')).toBe(true);
  });

  it('pages newest first and filters by since, until, outcome and source; sources keep count and outcomes', async () => {
    s = await startTestServer();
    const fixture = s;
    const client = new KeyholdClient({ baseUrl: fixture.url, apiKey: fixture.adminKey });
    const { key, secret } = await fixture.engine.createKey(fixture.rootId, { label: 'Busy key' }, admin);
    const wrong = await wrongSecretFor(key.partial_key);
    for (let i = 0; i < 7; i++) {
      await call(fixture, '/v1/accounts/me', i === 3 ? wrong : secret, {
        'user-agent': i < 5 ? 'worker/1' : 'laptop/2',
      });
      fixture.clock.advance(60_000);
    }
    const all = (await client.apiKeys.requests(fixture.rootId, key.id, { limit: 1000 })).data;
    expect(all).toHaveLength(7);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.apiKeys.requests(fixture.rootId, key.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.data.map((r) => r.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(all.map((r) => r.id));
    const iterated: string[] = [];
    for await (const record of client.apiKeys.iterateRequests(fixture.rootId, key.id, { limit: 2 }))
      iterated.push(record.id);
    expect(iterated).toEqual(all.map((r) => r.id));

    const since = '2026-06-01T12:02:00.000Z';
    const until = '2026-06-01T12:05:00.000Z';
    const windowed = (await client.apiKeys.requests(fixture.rootId, key.id, { since, until })).data;
    expect(windowed.map((r) => r.at)).toEqual(['2026-06-01T12:04:00.000Z', '2026-06-01T12:03:00.000Z', since]);
    const refused = (await client.apiKeys.requests(fixture.rootId, key.id, { outcome: 'wrong_secret' })).data;
    expect(refused.map((r) => r.at)).toEqual(['2026-06-01T12:03:00.000Z']);

    const sources = await client.apiKeys.sources(fixture.rootId, key.id);
    expect(sources).toEqual([
      {
        id: expect.any(String),
        address: '127.0.0.1',
        user_agent: 'laptop/2',
        first_seen: '2026-06-01T12:05:00.000Z',
        last_seen: '2026-06-01T12:06:00.000Z',
        count: 2,
        outcomes: ['ok'],
      },
      {
        id: expect.any(String),
        address: '127.0.0.1',
        user_agent: 'worker/1',
        first_seen: '2026-06-01T12:00:00.000Z',
        last_seen: '2026-06-01T12:04:00.000Z',
        count: 5,
        outcomes: ['ok', 'wrong_secret'],
      },
    ]);
    const laptop = sources[0]?.id as string;
    const fromLaptop = (await client.apiKeys.requests(fixture.rootId, key.id, { source: laptop })).data;
    expect(fromLaptop.map((r) => r.user_agent)).toEqual(['laptop/2', 'laptop/2']);

    for (const [query, field] of [
      [{ outcome: 'nope' }, 'outcome'],
      [{ since: 'yesterday' }, 'since'],
      [{ cursor: 'abc' }, 'cursor'],
      [{ limit: 0 }, 'limit'],
    ] as const) {
      const answer = await fetch(
        `${fixture.url}/v1/accounts/me/api-keys/${key.id}/requests?${new URLSearchParams(query as Record<string, string>)}`,
        { headers: { authorization: `Bearer ${fixture.adminKey}` } },
      );
      expect(answer.status).toBe(400);
      expect((await answer.json()).error.message).toContain(field);
    }
  });

  it('prunes requests past the retention and keeps their sources', async () => {
    s = await startTestServer({ engine: { requestLogDays: 2 } });
    const fixture = s;
    const { key, secret } = await fixture.engine.createKey(fixture.rootId, { label: 'Old key' }, admin);
    await call(fixture, '/v1/accounts/me', secret);
    fixture.clock.advance(DAY_MS);
    await call(fixture, '/v1/accounts/me', secret);
    await fixture.engine.flush();
    expect((await fixture.engine.keyRequests(null, key.id, {})).data).toHaveLength(2);
    fixture.clock.advance(2 * DAY_MS - 1);
    await fixture.engine.flush(); // only the first request is over two days old (its whole day, on PostgreSQL)
    expect((await fixture.engine.keyRequests(null, key.id, {})).data.map((r) => r.at)).toEqual([
      '2026-06-02T12:00:00.000Z',
    ]);
    fixture.clock.advance(DAY_MS);
    await fixture.engine.flush();
    expect((await fixture.engine.keyRequests(null, key.id, {})).data).toEqual([]);
    expect((await fixture.engine.keySources(null, key.id)).map((source) => source.count)).toEqual([2]);
  });

  it('holds no secret in any logged field, whatever a client puts where', async () => {
    s = await startTestServer();
    const fixture = s;
    const { key, secret } = await fixture.engine.createKey(fixture.rootId, { label: 'Careful key' }, admin);
    const secretPart = secret.slice(12);
    // The key where it does not belong: the user agent, a request id header, the query string.
    await call(fixture, `/v1/accounts/me?key=${secret}`, secret, { 'user-agent': secret, 'x-request-id': secret });
    await call(fixture, '/v1/accounts/me', secret, { 'user-agent': `x ${secret}` });
    await call(fixture, '/v1/accounts/me', await wrongSecretFor(key.partial_key));
    const logged = JSON.stringify([
      await fixture.engine.keyRequests(null, key.id, { limit: 1000 }),
      await fixture.engine.keySources(null, key.id),
      fixture.logs,
    ]);
    expect(logged).toContain(key.partial_key);
    expect(logged).not.toContain(secretPart);
  });
});

describe('what a key did (actions)', () => {
  it('lists the keys, subaccounts and agents a key created or changed, and nothing anyone else did', async () => {
    s = await startTestServer();
    const fixture = s;
    const operator = await fixture.engine.createKey(fixture.rootId, { label: 'Operator key' }, admin);
    const client = new KeyholdClient({ baseUrl: fixture.url, apiKey: operator.secret });
    const tick = () => fixture.clock.advance(1000);
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    tick();
    await client.accounts.update(eu.id, { name: 'Europe' });
    tick();
    await client.accounts.update(eu.id, { status: 'inactive' });
    tick();
    await client.accounts.update(eu.id, { status: 'active' });
    tick();
    const agent = await client.agents.create(eu.id, { name: 'Billing bot' });
    tick();
    const made = await client.apiKeys.create(eu.id, { label: 'EU worker' });
    tick();
    await client.apiKeys.revoke(eu.id, made.id);
    tick();
    await client.apiKeys.delete(eu.id, made.id);
    // Someone else's doing, in the same accounts: not this key's.
    await fixture.engine.createSubaccount(eu.id, { name: 'Not by the key' }, admin);
    await new KeyholdClient({ baseUrl: fixture.url, apiKey: fixture.adminKey }).agents.create(eu.id, {
      name: 'Admin bot',
    });

    const actions = await new KeyholdClient({ baseUrl: fixture.url, apiKey: fixture.adminKey }).apiKeys.actions(
      fixture.rootId,
      operator.key.id,
    );
    expect(actions.map((a) => [a.subject, a.action, a.name, a.subject_id])).toEqual([
      ['key', 'deleted', 'EU worker', made.id],
      ['key', 'revoked', 'EU worker', made.id],
      ['key', 'created', 'EU worker', made.id],
      ['agent', 'created', 'Billing bot', agent.id],
      ['account', 'activated', 'Europe', eu.id],
      ['account', 'deactivated', 'Europe', eu.id],
      ['account', 'renamed', 'Europe', eu.id],
      ['account', 'created', 'EU', eu.id],
    ]);
    expect(actions.at(-1)).toEqual({
      at: '2026-06-01T12:00:00.000Z',
      subject: 'account',
      subject_id: eu.id,
      account_id: fixture.rootId,
      action: 'created',
      name: 'EU',
    });
    expect(actions[0]?.account_id).toBe(eu.id);
  });
});

describe("the keys' use, as the audit's activity rules read it", () => {
  it('counts new and recent sources and refused attempts per key, per account, a page at a time, and the audit flags them', async () => {
    s = await startTestServer();
    const fixture = s;
    const { engine, rootId, clock } = fixture;
    const client = new KeyholdClient({ baseUrl: fixture.url, apiKey: fixture.adminKey });
    const eu = await engine.createSubaccount(rootId, { name: 'EU' });
    const worker = await engine.createKey(eu.id, { label: 'EU worker' }, admin);
    const old = await engine.createKey(rootId, { label: 'Old worker' }, admin);
    const shared = await engine.createKey(rootId, { label: 'Shared worker' }, admin);
    const idle = await engine.createKey(rootId, { label: 'Idle worker' }, admin);
    await engine.revokeKey(null, old.key.id, admin);
    const t0 = clock.now();

    await call(fixture, '/v1/accounts/me', worker.secret, { 'user-agent': 'billing/1.0' });
    await call(fixture, '/v1/accounts/me', old.secret, { 'user-agent': 'billing/1.0' }); // refused, long ago
    for (let i = 0; i < 12; i++) await call(fixture, '/v1/accounts/me', shared.secret, { 'user-agent': `host-${i}` });
    clock.advance(10 * DAY_MS);
    await call(fixture, '/v1/accounts/me', worker.secret, { 'user-agent': 'billing/1.0' });
    await call(fixture, '/v1/accounts/me', worker.secret, { 'user-agent': 'stranger/2.0' });
    for (let i = 0; i < 4; i++) await call(fixture, '/v1/accounts/me', old.secret, { 'user-agent': 'billing/1.0' });
    const now = clock.now();
    const since = new Date(now - 7 * DAY_MS).toISOString();
    const iso = (ms: number) => new Date(ms).toISOString();

    // The admin key's own reads below are requests too: left out of what is compared.
    const adminId = (await engine.listKeys(null, { q: 'Admin key' })).data[0]?.id;
    const workers = <T extends { key_id: string }>(data: T[]) => data.filter((use) => use.key_id !== adminId);
    const page = await client.accounts.keyUse(rootId, { since });
    page.data = workers(page.data);
    const byKey = Object.fromEntries(page.data.map((use) => [use.key_id, use]));
    expect(page.next_cursor).toBeNull();
    expect(Object.keys(byKey).sort()).toEqual([worker.key.id, old.key.id, shared.key.id].sort()); // never used: none
    expect(page.data.map((use) => use.key_id)).toEqual(Object.keys(byKey).sort()); // in key id order
    expect(byKey[worker.key.id]).toEqual({
      key_id: worker.key.id,
      first_source_at: iso(t0),
      newest_source_at: iso(now),
      recent_sources: 2,
      refused_attempts: 0,
    });
    expect(byKey[old.key.id]).toMatchObject({ recent_sources: 1, refused_attempts: 4 });
    expect(byKey[shared.key.id]).toMatchObject({
      recent_sources: 0,
      first_source_at: iso(t0),
      newest_source_at: iso(t0),
    });
    // A wider window counts the older requests too.
    const wide = await client.accounts.keyUse(rootId, { since: iso(t0) });
    wide.data = workers(wide.data);
    expect(wide.data.find((use) => use.key_id === shared.key.id)?.recent_sources).toBe(12);
    expect(wide.data.find((use) => use.key_id === old.key.id)?.refused_attempts).toBe(5);

    // A subaccount sees its own keys only; pages of one give the same keys in the same order.
    expect((await client.accounts.keyUse(eu.id, { since })).data.map((use) => use.key_id)).toEqual([worker.key.id]);
    const paged = [];
    for await (const use of client.accounts.iterateKeyUse(rootId, { since, limit: 1 })) paged.push(use);
    expect(workers(paged)).toEqual(page.data);
    // The window is required and named when missing or malformed.
    const missing = await call(fixture, `/v1/accounts/${rootId}/key-use`, fixture.adminKey);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^since: /);

    // The audit: a new source, a dead key still presented, many sources (in the wide window), and a
    // use after the suspected exposure.
    const { audit, DEFAULT_AUDIT_POLICY } = await import('../../../src/shared/audit');
    const keys = (await engine.listKeys(null, { limit: 1000 })).data;
    const accounts = await engine.accountTree(rootId);
    const findings = (key_use: typeof page.data, exposures: Record<string, string> = {}) =>
      audit({ accounts, keys, key_use, exposures }, DEFAULT_AUDIT_POLICY, now)
        .toArray()
        .filter((f) => ['new_source', 'many_sources', 'refused_attempts', 'used_after_exposure'].includes(f.rule))
        .map((f) => [f.rule, f.key_id, f.severity])
        .sort();
    expect(findings(page.data)).toEqual([
      ['new_source', worker.key.id, 'warning'],
      ['refused_attempts', old.key.id, 'warning'],
    ]);
    expect(findings(wide.data, { [worker.key.id]: iso(t0 + 5 * DAY_MS) })).toEqual(
      expect.arrayContaining([
        ['many_sources', shared.key.id, 'warning'],
        ['used_after_exposure', worker.key.id, 'critical'],
      ]),
    );
    expect(findings([])).toEqual([]);
    expect(byKey[idle.key.id]).toBeUndefined();
  });
});

const everything = { since: null, until: null, outcome: null, sourceId: null, beforeId: null, limit: 1000 };
