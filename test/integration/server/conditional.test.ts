// Conditional requests on the real server and store (SQLite, and PostgreSQL in that project):
// every GET has an ETag and answers 304 to it without counting against the rate limit; the writes
// to a key or an account honour If-Match, checked inside the write's transaction, so of two admins
// editing one key from the same read exactly one wins and the other gets 412.
import { afterEach, describe, expect, it } from 'vitest';
import { KeyholdApiError } from '../../../src/sdk';
import { DEFAULT_RATE_LIMITS } from '../../../src/server/server';
import { admin } from '../../support/engine';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

function call(
  fixture: ServerFixture,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
  key = fixture.adminKey,
) {
  return fetch(`${fixture.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function madeKey(fixture: ServerFixture, label = 'Billing worker') {
  const { key, secret } = await fixture.engine.createKey(fixture.rootId, { label }, admin);
  return { key, secret, path: `/v1/accounts/${fixture.rootId}/api-keys/${key.id}` };
}

const etagOf = (response: Response) => response.headers.get('etag') as string;

describe('ETag and If-None-Match', () => {
  it('answers 304 with no body while the key is unchanged, and 200 with a new tag once it changes', async () => {
    s = await startTestServer();
    const { path } = await madeKey(s);
    const first = await call(s, 'GET', path);
    expect(first.status).toBe(200);
    const etag = etagOf(first);
    expect(etag).toMatch(/^"[\w-]{22}\.[\w-]{22}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const body = await first.json();

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await call(s, 'GET', path, { 'if-none-match': ifNoneMatch });
      expect(again.status, ifNoneMatch).toBe(304);
      expect(await again.text()).toBe('');
      expect(etagOf(again)).toBe(etag);
      expect(again.headers.get('request-id')).toMatch(/^req_/);
      expect(again.headers.get('content-length') ?? '0').toBe('0');
    }
    expect((await call(s, 'GET', path, { 'if-none-match': '"not-this-one"' })).status).toBe(200);

    expect((await call(s, 'PATCH', path, {}, { label: 'Billing worker (EU)' })).status).toBe(200);
    const changed = await call(s, 'GET', path, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(etagOf(changed)).not.toBe(etag);
    expect(await changed.json()).toEqual({ ...body, label: 'Billing worker (EU)', updated_at: expect.any(String) });
  });

  it('tags every list page and the documents; a page changes its tag when a key is created', async () => {
    s = await startTestServer();
    const { path: keyPath } = await madeKey(s);
    // (Not the change feed: it holds the caller's own key, whose last use each request moves.)
    for (const path of [
      '/v1/accounts/me',
      '/v1/accounts/me/api-keys?limit=2',
      '/v1/accounts/me/subaccounts',
      '/v1/accounts/me/agents',
      `${keyPath}/events`,
      `${keyPath}/usage`,
      '/v1/openapi.json',
      '/v1/errors',
    ]) {
      const first = await call(s, 'GET', path);
      expect(first.status, path).toBe(200);
      const again = await call(s, 'GET', path, { 'if-none-match': etagOf(first) });
      expect(again.status, path).toBe(304);
    }
    const page = await call(s, 'GET', '/v1/accounts/me/api-keys');
    await madeKey(s, 'Another worker');
    expect((await call(s, 'GET', '/v1/accounts/me/api-keys', { 'if-none-match': etagOf(page) })).status).toBe(200);
  });

  it('does not count a 304 against the rate limit, and says so in RateLimit', async () => {
    s = await startTestServer({
      rateLimits: { ...DEFAULT_RATE_LIMITS, perKey: { name: 'key', capacity: 5, refillPerSecond: 0.01 } },
    });
    const first = await call(s, 'GET', '/v1/accounts/me');
    const etag = etagOf(first);
    expect(first.headers.get('ratelimit')).toMatch(/;r=4;/);
    for (let i = 0; i < 30; i++) {
      const again = await call(s, 'GET', '/v1/accounts/me', { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.headers.get('ratelimit')).toMatch(/;r=4;/);
    }
    // A 200 still counts: four left, then the limit.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(s, 'GET', '/v1/accounts/me')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('gives a key a new tag when it is used (its last use is in the answer), not a new version', async () => {
    s = await startTestServer();
    const { secret, path } = await madeKey(s);
    const before = etagOf(await call(s, 'GET', path));
    expect((await call(s, 'GET', '/v1/accounts/me', {}, undefined, secret)).status).toBe(200);
    await s.engine.flush();
    const after = await call(s, 'GET', path, { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { last_use: unknown }).last_use).not.toBeNull();
    expect(etagOf(after).split('.')[0]).toBe(before.split('.')[0]);
    expect(etagOf(after)).not.toBe(before);
  });
});

describe('If-Match', () => {
  it('refuses an edit from a stale read with 412 and changes nothing; the current tag goes through', async () => {
    s = await startTestServer();
    const { key, path } = await madeKey(s);
    const read = etagOf(await call(s, 'GET', path));
    // Another admin renames it meanwhile.
    expect((await call(s, 'PATCH', path, {}, { label: 'Renamed by Ana' })).status).toBe(200);

    const stale = await call(s, 'PATCH', path, { 'if-match': read }, { label: 'Renamed by Ben' });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({
      error: { code: 'precondition_failed', param: 'If-Match', doc_url: '/v1/errors#precondition_failed' },
    });
    for (const [method, suffix] of [
      ['POST', '/revoke'],
      ['DELETE', ''],
    ] as const) {
      expect((await call(s, method, `${path}${suffix}`, { 'if-match': read })).status, method).toBe(412);
    }
    const now = await s.engine.getKey(null, key.id);
    expect(now).toMatchObject({ label: 'Renamed by Ana', status: 'active' });
    expect((await s.engine.keyEvents(null, key.id)).map((event) => event.type)).toEqual(['created', 'edited']);

    // Read again: that tag goes through, and each answer's ETag is the next write's If-Match.
    const current = etagOf(await call(s, 'GET', path));
    const renamed = await call(s, 'PATCH', path, { 'if-match': current }, { label: 'Renamed by Ben' });
    expect(renamed.status).toBe(200);
    const revoked = await call(s, 'POST', `${path}/revoke`, { 'if-match': etagOf(renamed) });
    expect(revoked.status).toBe(200);
    expect((await call(s, 'POST', `${path}/reactivate`, { 'if-match': etagOf(renamed) })).status).toBe(412);
    const reactivated = await call(s, 'POST', `${path}/reactivate`, { 'if-match': etagOf(revoked) });
    expect(reactivated.status).toBe(200);
    expect((await call(s, 'DELETE', path, { 'if-match': etagOf(reactivated) })).status).toBe(204);
    expect((await call(s, 'GET', path)).status).toBe(404);
  });

  it('lets a key in use be edited: its use is not part of its version', async () => {
    s = await startTestServer();
    const { secret, path } = await madeKey(s);
    const read = etagOf(await call(s, 'GET', path));
    for (let i = 0; i < 3; i++) await call(s, 'GET', '/v1/accounts/me', {}, undefined, secret);
    await s.engine.flush();
    const edited = await call(s, 'PATCH', path, { 'if-match': read }, { label: 'Still the same key' });
    expect(edited.status).toBe(200);
  });

  it('lets exactly one of two writes made from the same read win', async () => {
    s = await startTestServer();
    const { key, path } = await madeKey(s);
    const read = etagOf(await call(s, 'GET', path));
    const answers = await Promise.all(
      ['Ana', 'Ben', 'Cleo', 'Dev'].map((name) =>
        call(s as ServerFixture, 'PATCH', path, { 'if-match': read }, { label: `Renamed by ${name}` }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412, 412, 412]);
    const events = await s.engine.keyEvents(null, key.id);
    expect(events.filter((event) => event.type === 'edited')).toHaveLength(1);
  });

  it('guards an account the same way, takes *, never a weak tag, and refuses a malformed header by name', async () => {
    s = await startTestServer();
    const sub = await s.engine.createSubaccount(s.rootId, { name: 'EU' }, admin);
    const path = `/v1/accounts/${sub.id}`;
    const read = etagOf(await call(s, 'GET', path));
    expect((await call(s, 'PATCH', path, { 'if-match': `W/${read}` }, { name: 'EU west' })).status).toBe(412);
    expect((await call(s, 'PATCH', path, { 'if-match': read }, { name: 'EU west' })).status).toBe(200);
    expect((await call(s, 'PATCH', path, { 'if-match': read }, { name: 'EU east' })).status).toBe(412);
    expect((await call(s, 'PATCH', path, { 'if-match': '*' }, { name: 'EU east' })).status).toBe(200);
    expect((await s.engine.getAccount(sub.id)).name).toBe('EU east');

    for (const [field, method] of [
      ['if-match', 'PATCH'],
      ['if-none-match', 'GET'],
    ] as const) {
      const refused = await call(
        s,
        method,
        path,
        { [field]: 'no-quotes' },
        method === 'PATCH' ? { name: 'x' } : undefined,
      );
      expect(refused.status, field).toBe(400);
      expect(((await refused.json()) as { error: { param: string } }).error.param).toBe(
        field === 'if-match' ? 'If-Match' : 'If-None-Match',
      );
    }
    expect((await s.engine.getAccount(sub.id)).name).toBe('EU east');
  });

  it('in the SDK: etagOf gives what an object was read with, and ifMatch guards the write', async () => {
    s = await startTestServer();
    const { key } = await madeKey(s);
    const ana = s.client();
    const ben = s.client();
    const read = await ana.apiKeys.get(s.rootId, key.id);
    const benRead = await ben.apiKeys.get(s.rootId, key.id);
    const renamed = await ana.apiKeys.update(s.rootId, key.id, { label: 'Ana’s' }, { ifMatch: ana.etagOf(read) });
    const refused = await ben.apiKeys
      .revoke(s.rootId, key.id, { ifMatch: ben.etagOf(benRead) })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KeyholdApiError);
    expect(refused).toMatchObject({ code: 'precondition_failed', status: 412, param: 'If-Match' });
    const revoked = await ana.apiKeys.revoke(s.rootId, key.id, { ifMatch: ana.etagOf(renamed) });
    expect(revoked.status).toBe('revoked');
    await ana.apiKeys.delete(s.rootId, key.id, { ifMatch: ana.etagOf(revoked) });
    expect(await s.engine.getKey(null, key.id).catch((error: { code: string }) => error.code)).toBe('not_found');
  });
});
