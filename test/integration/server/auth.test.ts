// RFC 6750 semantics, status codes and headers, against the real server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin } from '../../support/engine';
import { get, rawRequest } from '../../support/raw-http';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => s.stop());

const call = (path: string, init: RequestInit & { key?: string } = {}) => {
  const { key, ...rest } = init;
  return fetch(`${s.url}${path}`, {
    ...rest,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(rest.headers as Record<string, string>) },
  });
};

describe('authentication', () => {
  it('401 with a bare Bearer challenge when there is no Authorization header', async () => {
    const response = await call('/v1/accounts/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keyhold"');
    expect(await response.json()).toEqual({
      error: {
        code: 'unauthorized',
        message: expect.any(String),
        request_id: expect.stringMatching(/^req_/),
        doc_url: expect.stringMatching(/^\/v1\/errors#/),
      },
    });
  });

  it.each([
    ['a malformed key', 'Bearer sk-12345678.short'],
    ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['an empty bearer', 'Bearer '],
    ['no space', 'Bearersk-12345678'],
  ])('401 invalid_token for %s', async (_name, header) => {
    const response = await call('/v1/accounts/me', { headers: { authorization: header } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keyhold", error="invalid_token"');
  });

  it('accepts the scheme name in any case and with several spaces', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      expect((await call('/v1/accounts/me', { headers: { authorization: `${scheme}   ${s.adminKey}` } })).status).toBe(
        200,
      );
    }
  });

  it('gives byte-identical answers for an unknown public id and a wrong secret', async () => {
    const victim = await s.engine.createKey(s.rootId, { label: 'Victim key' }, admin);
    const deleted = await s.engine.createKey(s.rootId, { label: 'Gone key' }, admin);
    await s.engine.deleteKey(null, deleted.key.id, admin);
    // Same public id as the victim, another secret, valid checksum: it passes parsing and fails the hash.
    const { generateKey } = await import('../../../src/shared/key-format');
    const wrongSecret = generateKey(victim.key.partial_key.slice(3), (size) => new Uint8Array(size).fill(3));
    const host = new URL(s.url).host;
    const unknown = await rawRequest(s.url, get('/v1/accounts/me', host, [`Authorization: Bearer ${deleted.secret}`]));
    const wrong = await rawRequest(s.url, get('/v1/accounts/me', host, [`Authorization: Bearer ${wrongSecret}`]));
    expect(unknown.status).toBe(401);
    expect(wrong.comparable).toBe(unknown.comparable);
    expect(wrong.head).toContain('www-authenticate: Bearer realm="keyhold", error="invalid_token"');
  });

  it('tells only the holder of the real secret that a key is revoked or expired', async () => {
    const { key, secret } = await s.engine.createKey(
      s.rootId,
      { label: 'Lifecycle key', expires_at: '2026-06-02T12:00:00Z' },
      admin,
    );
    await s.engine.revokeKey(null, key.id, admin);
    let response = await call('/v1/accounts/me', { key: secret });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="keyhold", error="invalid_token", error_description="The API key has been revoked"',
    );
    await s.engine.reactivateKey(null, key.id, admin);
    s.clock.advanceDays(1);
    response = await call('/v1/accounts/me', { key: secret });
    expect(response.status).toBe(401);
    expect((await response.json()) as object).toEqual({
      error: {
        code: 'unauthorized',
        message: 'The API key has expired.',
        request_id: expect.stringMatching(/^req_/),
        doc_url: expect.stringMatching(/^\/v1\/errors#/),
      },
    });
  });

  it('takes a revoke into account on the very next request', async () => {
    const target = await s.client().apiKeys.create('me', { label: 'Soon revoked' });
    expect((await call('/v1/accounts/me', { key: target.secret })).status).toBe(200);
    await s.client().apiKeys.revoke('me', target.id);
    expect((await call('/v1/accounts/me', { key: target.secret })).status).toBe(401);
  });

  it('refuses a key in the query string or the body, and repeated Authorization headers', async () => {
    let response = await call(`/v1/accounts/me?access_token=${s.adminKey}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keyhold", error="invalid_request"');
    response = await call(`/v1/accounts/me/api-keys?q=${s.adminKey}`, { key: s.adminKey });
    expect(response.status).toBe(400);
    response = await call('/v1/accounts/me/api-keys', {
      method: 'POST',
      key: s.adminKey,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'Sneaky', access_token: s.adminKey }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: expect.stringContaining('request body'),
        request_id: expect.stringMatching(/^req_/),
        doc_url: expect.stringMatching(/^\/v1\/errors#/),
      },
    });
    const host = new URL(s.url).host;
    const twice = await rawRequest(
      s.url,
      get('/v1/accounts/me', host, [`Authorization: Bearer ${s.adminKey}`, `Authorization: Bearer ${s.adminKey}`]),
    );
    expect(twice.status).toBe(400);
    // None of it leaked into the log.
    expect(s.logs.join('\n')).not.toContain(s.adminKey.slice(12));
  });
});

describe('authorisation', () => {
  it('a parent key reaches a subaccount; a subaccount key gets 403 on its parent and siblings', async () => {
    const client = s.client();
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    const us = await client.accounts.createSubaccount('me', { name: 'US' });
    const euKey = await client.apiKeys.create(eu.id, { label: 'EU worker' });
    expect((await client.apiKeys.list(eu.id)).data).toHaveLength(1);
    expect((await call(`/v1/accounts/${eu.id}/api-keys/${euKey.id}`, { key: s.adminKey })).status).toBe(200);

    const euClient = s.client(euKey.secret);
    expect((await euClient.accounts.get()).id).toBe(eu.id);
    for (const target of [s.rootId, us.id]) {
      const response = await call(`/v1/accounts/${target}/api-keys`, { key: euKey.secret });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keyhold", error="insufficient_scope"');
      expect(await response.json()).toEqual({
        error: {
          code: 'forbidden',
          message: expect.any(String),
          request_id: expect.stringMatching(/^req_/),
          doc_url: expect.stringMatching(/^\/v1\/errors#/),
        },
      });
    }
  });

  it('403 account_inactive for an inactive account', async () => {
    const client = s.client();
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    const euKey = await client.apiKeys.create(eu.id, { label: 'EU worker' });
    await client.accounts.update(eu.id, { status: 'inactive' });
    for (const [key, path] of [
      [euKey.secret, '/v1/accounts/me'],
      [s.adminKey, `/v1/accounts/${eu.id}/api-keys`],
    ] as const) {
      const response = await call(path, { key });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: {
          code: 'account_inactive',
          message: 'The account is inactive.',
          request_id: expect.stringMatching(/^req_/),
          doc_url: expect.stringMatching(/^\/v1\/errors#/),
        },
      });
    }
    // The parent can switch it back on.
    await client.accounts.update(eu.id, { status: 'active' });
    expect((await call('/v1/accounts/me', { key: euKey.secret })).status).toBe(200);
  });

  it('404 in the error shape for unknown routes and for a key of another account', async () => {
    const unknownRoute = await call('/v1/nothing', { key: s.adminKey });
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toEqual({
      error: {
        code: 'not_found',
        message: expect.any(String),
        request_id: expect.stringMatching(/^req_/),
        doc_url: expect.stringMatching(/^\/v1\/errors#/),
      },
    });
    const client = s.client();
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    const rootKey = await client.apiKeys.create('me', { label: 'Root worker' });
    expect((await call(`/v1/accounts/${eu.id}/api-keys/${rootKey.id}`, { key: s.adminKey })).status).toBe(404);
  });
});

describe('the access log', () => {
  it('names the public id and never the Authorization header or a secret', async () => {
    const client = s.client();
    const key = await client.apiKeys.create('me', { label: 'Logged key' });
    await s.client(key.secret).accounts.get();
    await call('/v1/accounts/me', { key: `${key.secret.slice(0, 20)}` });
    const log = s.logs.join('\n');
    expect(log).toMatch(new RegExp(`GET /v1/accounts/:accountId accountId=me 200 [0-9.]+ms key=${key.partial_key}`));
    expect(log).toMatch(/GET \/v1\/accounts\/:accountId accountId=me 401 [0-9.]+ms key=-/);
    for (const secret of [s.adminKey, key.secret]) expect(log).not.toContain(secret.slice(12));
    expect(log.toLowerCase()).not.toContain('bearer');
  });
});
