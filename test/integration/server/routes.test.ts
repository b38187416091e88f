// Every route, driven by the SDK against the real server on loopback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyholdClient } from '../../../src/sdk/client';
import { KEY_RULES } from '../../../src/shared/audit';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture;
let client: KeyholdClient;
beforeEach(async () => {
  s = await startTestServer();
  client = s.client();
});
afterEach(() => s.stop());

describe('accounts', () => {
  it('reads me and by id, creates, lists and patches subaccounts', async () => {
    const me = await client.accounts.get();
    expect(me).toMatchObject({ id: s.rootId, parent_id: null, status: 'active' });
    expect(await client.accounts.get(s.rootId)).toEqual(me);
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    expect(eu).toMatchObject({ name: 'EU', parent_id: s.rootId });
    expect((await client.accounts.subaccounts()).map((a) => a.id)).toEqual([eu.id]);
    expect(await client.accounts.update(eu.id, { name: 'Europe', status: 'inactive' })).toMatchObject({
      name: 'Europe',
      status: 'inactive',
    });
  });

  it('refuses to let a key change the status of its own account', async () => {
    await expect(client.accounts.update('me', { status: 'inactive' })).rejects.toMatchObject({ status: 403 });
    await expect(client.accounts.update(s.rootId, { name: 'Renamed root' })).resolves.toMatchObject({
      name: 'Renamed root',
    });
  });
});

describe('the platform', () => {
  it('names itself with the id its database keeps, to any valid key, the same from another engine on it', async () => {
    const eu = await s.engine.createSubaccount(s.rootId, { name: 'EU' });
    const euKey = (await s.engine.createKey(eu.id, { label: 'EU worker' }, { kind: 'system' })).secret;
    const { id } = await client.platform();
    expect(id).toMatch(/^plt_[0-9a-f]{16}$/);
    expect(id).toBe(await s.engine.store.platformId());
    expect(await s.client(euKey).platform()).toEqual({ id });
    const reopened = await s.another();
    expect(await reopened.platformId()).toBe(id);
  });
});

describe('api keys', () => {
  it('creates (secret once), gets, lists, edits, revokes, reactivates, and deletes', async () => {
    const created = await client.apiKeys.create('me', {
      label: 'Production billing',
      expires_at: '2026-09-01T00:00:00Z',
    });
    expect(created).toMatchObject({ label: 'Production billing', status: 'active', account_id: s.rootId });
    expect(Object.keys(created).sort()).toEqual(
      [
        'id',
        'account_id',
        'label',
        'partial_key',
        'status',
        'created_at',
        'updated_at',
        'last_used_at',
        'expires_at',
        'revoked_at',
        'deletes_at',
        'secret',
      ].sort(),
    );
    expect(created.secret.startsWith(`${created.partial_key}.`)).toBe(true);

    const { secret, ...key } = created;
    expect(await client.apiKeys.get('me', key.id)).toEqual({ ...key, last_use: null });
    const page = await client.apiKeys.list('me', { q: 'billing' });
    expect(page).toEqual({ data: [key], next_cursor: null });
    expect(JSON.stringify(page)).not.toContain(secret.slice(12));

    expect(
      await client.apiKeys.update('me', key.id, { label: 'Production billing v2', expires_at: null }),
    ).toMatchObject({
      label: 'Production billing v2',
      expires_at: null,
    });
    expect((await client.apiKeys.revoke('me', key.id)).status).toBe('revoked');
    expect((await client.apiKeys.reactivate('me', key.id)).status).toBe('active');
    await s.client(secret).accounts.get();
    expect((await client.apiKeys.usage('me', key.id, 7)).at(-1)).toEqual({
      day: '2026-06-01',
      count: 1,
      rate_limited: 0,
    });
    expect((await client.apiKeys.events('me', key.id)).map((e) => [e.type, e.actor])).toEqual([
      ['created', expect.stringMatching(/^key:sk-[0-9a-f]{8}$/)],
      ['edited', expect.stringMatching(/^key:sk-/)],
      ['revoked', expect.stringMatching(/^key:sk-/)],
      ['reactivated', expect.stringMatching(/^key:sk-/)],
    ]);
    await client.apiKeys.delete('me', key.id);
    await expect(client.apiKeys.get('me', key.id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect((await client.apiKeys.events('me', key.id)).at(-1)?.type).toBe('deleted');
  });

  it('marks a response that carries a secret, and only such a response, as never to be stored; a read as private', async () => {
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${s.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${s.adminKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await call('POST', '/v1/accounts/me/api-keys', { label: 'Cache check' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('pragma')).toBe('no-cache');
    const { id } = (await created.json()) as { id: string };
    const read = await call('GET', `/v1/accounts/me/api-keys/${id}`);
    expect(read.status).toBe(200);
    // A read may be kept, by the client only, and is asked again with its ETag.
    expect(read.headers.get('cache-control')).toBe('private, no-cache');
    expect(read.headers.get('pragma')).toBeNull();
  });

  it('filters, sorts and paginates, and iterates every page', async () => {
    for (let i = 0; i < 7; i++) await client.apiKeys.create('me', { label: `Worker ${i}` });
    const first = await client.apiKeys.list('me', { limit: 3, sort: 'label', order: 'asc', q: 'worker' });
    expect(first.data.map((k) => k.label)).toEqual(['Worker 0', 'Worker 1', 'Worker 2']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const key of client.apiKeys.iterate('me', { limit: 2, sort: 'label', order: 'asc', q: 'worker' }))
      all.push(key.label);
    expect(all).toEqual(['Worker 0', 'Worker 1', 'Worker 2', 'Worker 3', 'Worker 4', 'Worker 5', 'Worker 6']);
    expect((await client.apiKeys.list('me', { status: 'revoked' })).data).toEqual([]);
    expect((await client.apiKeys.list('me', { flag: 'never_used', limit: 1000 })).data).toHaveLength(0); // grace
    s.clock.advanceDays(8);
    expect((await client.apiKeys.list('me', { flag: 'never_used', limit: 1000 })).data).toHaveLength(7);
  });

  it('lists a subaccount’s keys from the parent, and with include_subaccounts', async () => {
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    await client.apiKeys.create(eu.id, { label: 'EU worker' });
    expect((await client.apiKeys.list(eu.id)).data.map((k) => k.label)).toEqual(['EU worker']);
    expect((await client.apiKeys.list('me', { include_subaccounts: true })).data.map((k) => k.label)).toContain(
      'EU worker',
    );
    expect((await client.apiKeys.list('me')).data.map((k) => k.label)).not.toContain('EU worker');
  });

  it('answers 400 naming the field for bad bodies and queries', async () => {
    await expect(client.apiKeys.create('me', { label: '' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'label: must not be empty',
    });
    await expect(client.apiKeys.create('me', { label: 'x', expires_at: 'soon' })).rejects.toMatchObject({
      message: expect.stringMatching(/^expires_at: /),
    });
    await expect(client.apiKeys.list('me', { limit: 0 })).rejects.toMatchObject({
      message: expect.stringMatching(/^limit: /),
    });
    // The flag values before the audit's rule ids: 400 with the valid ones listed.
    const oldFlag = await fetch(`${s.url}/v1/accounts/me/api-keys?flag=no_expiration`, {
      headers: { authorization: `Bearer ${s.adminKey}` },
    });
    expect(oldFlag.status).toBe(400);
    const { error } = (await oldFlag.json()) as { error: { message: string } };
    expect(error.message).toMatch(/^flag: /);
    for (const rule of KEY_RULES) expect(error.message).toContain(`"${rule}"`);
    const key = await client.apiKeys.create('me', { label: 'Usage key' });
    await expect(client.apiKeys.usage('me', key.id, 999)).rejects.toMatchObject({
      message: expect.stringMatching(/^days: /),
    });
    const raw = await fetch(`${s.url}/v1/accounts/me/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.adminKey}`, 'content-type': 'application/json' },
      body: '{"label": ',
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: expect.stringMatching(/^request: /),
        param: 'request',
        request_id: expect.stringMatching(/^req_/),
        doc_url: expect.stringMatching(/^\/v1\/errors#/),
      },
    });
  });
});

describe('text from callers', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const messageOf = async (response: Response) => {
    expect(response.status).toBe(400);
    return ((await response.json()) as { error: { message: string } }).error.message;
  };

  it('refuses hidden characters in labels, names, descriptions and q with 400 naming the field and the character', async () => {
    const hidden = [
      '\u0000',
      '\u001b[31m',
      '\u0007',
      '\u202e',
      '\u200b',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u200e',
      '\u061c',
      '\u{e0041}',
      '\u2028',
      '\ufff9',
      '\ud800',
      '\u3164',
    ];
    for (const char of hidden) {
      const label = await messageOf(await post('/v1/accounts/me/api-keys', { label: `Billing${char}prod` }));
      expect(label).toMatch(
        /^label: must not contain invisible, control or bidi characters \(U\+[0-9A-F]{4,5} at character 8\)$/,
      );
      expect(await messageOf(await post('/v1/accounts/me/subaccounts', { name: `EU${char}` }))).toMatch(/^name: /);
      expect(await messageOf(await post('/v1/accounts/me/agents', { name: 'Bot', description: `a${char}b` }))).toMatch(
        /^description: must not contain/,
      );
      if (char === '\ud800') continue; // a lone surrogate has no UTF-8 form to put in a URL
      const search = await fetch(`${s.url}/v1/accounts/me/api-keys?q=${encodeURIComponent(`bill${char}`)}`, {
        headers: { authorization: `Bearer ${s.adminKey}` },
      });
      expect(await messageOf(search)).toMatch(/^q: must not contain/);
    }
    expect((await client.apiKeys.list('me', {})).data.map((key) => key.label)).toEqual(['Admin key']);
  });

  it('takes a label with nothing visible as blank, and stores labels in NFC', async () => {
    for (const blank of ['   ', '\u2800', '\u0301']) {
      expect(await messageOf(await post('/v1/accounts/me/api-keys', { label: blank }))).toBe(
        'label: must not be empty',
      );
    }
    const decomposed = 'Cafe\u0301 billing';
    const created = await client.apiKeys.create('me', { label: decomposed });
    expect(created.label).toBe('Caf\u00e9 billing');
    // A search in either form finds it.
    expect((await client.apiKeys.list('me', { q: 'cafe\u0301' })).data.map((key) => key.id)).toEqual([created.id]);
    expect((await client.apiKeys.list('me', { q: 'caf\u00e9' })).data.map((key) => key.id)).toEqual([created.id]);
  });
});

describe('agents, verify and the OpenAPI document', () => {
  it('creates and lists agents', async () => {
    const agent = await client.agents.create('me', { name: 'Support bot', description: 'Answers tickets' });
    expect(agent).toMatchObject({ id: expect.stringMatching(/^agt_/), name: 'Support bot', account_id: s.rootId });
    expect(await client.agents.list()).toEqual([agent]);
    await expect(client.agents.create('me', { name: '' })).rejects.toMatchObject({
      message: 'name: must not be empty',
    });
  });

  it('verifies keys for other services without telling a guesser more than "invalid"', async () => {
    const eu = await client.accounts.createSubaccount('me', { name: 'EU' });
    const euKey = await client.apiKeys.create(eu.id, { label: 'EU worker' });
    expect(await client.keys.verify(euKey.secret)).toEqual({
      valid: true,
      key: { id: euKey.id, account_id: eu.id, partial_key: euKey.partial_key },
      account_id: eu.id,
    });
    expect(await client.keys.verify(euKey.secret, s.rootId)).toEqual({ valid: false, reason: 'forbidden' });
    expect(await client.keys.verify('sk-00000000.nope')).toEqual({ valid: false, reason: 'invalid' });
    await client.apiKeys.revoke(eu.id, euKey.id);
    expect(await client.keys.verify(euKey.secret)).toEqual({ valid: false, reason: 'revoked' });
  });

  it('answers 405 with Allow for a known path asked with another method, 404 for an unknown path', async () => {
    const auth = { authorization: `Bearer ${s.adminKey}` };
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/v1/accounts/me/subaccounts', 'GET, POST'],
      ['PUT', '/v1/accounts/me', 'GET, PATCH'],
      ['POST', '/v1/accounts/me/api-keys/key_0000000000000000', 'GET, PATCH, DELETE'],
      ['POST', '/v1/openapi.json', 'GET'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${s.url}${path}`, { method, headers: auth });
      expect({ method, path, status: response.status, allow: response.headers.get('allow') }).toEqual({
        method,
        path,
        status: 405,
        allow,
      });
      expect(await response.json()).toEqual({
        error: {
          code: 'method_not_allowed',
          message: `This path answers ${allow}.`,
          request_id: expect.stringMatching(/^req_/),
          doc_url: expect.stringMatching(/^\/v1\/errors#/),
        },
      });
    }
    expect((await fetch(`${s.url}/v1/nothing`, { headers: auth })).status).toBe(404);
  });

  it('serves an OpenAPI 3.1 document with every route', async () => {
    const doc = (await (await fetch(`${s.url}/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, object>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/v1/accounts/{accountId}',
        '/v1/accounts/{accountId}/subaccounts',
        '/v1/accounts/{accountId}/api-keys',
        '/v1/accounts/{accountId}/api-keys/{keyId}',
        '/v1/accounts/{accountId}/api-keys/{keyId}/revoke',
        '/v1/accounts/{accountId}/api-keys/{keyId}/reactivate',
        '/v1/accounts/{accountId}/api-keys/{keyId}/usage',
        '/v1/accounts/{accountId}/api-keys/{keyId}/events',
        '/v1/accounts/{accountId}/api-keys/{keyId}/requests',
        '/v1/accounts/{accountId}/api-keys/{keyId}/actions',
        '/v1/accounts/{accountId}/api-keys/{keyId}/sources',
        '/v1/accounts/{accountId}/key-use',
        '/v1/accounts/{accountId}/changes',
        '/v1/accounts/{accountId}/agents',
        '/v1/keys/verify',
        '/v1/platform',
        '/v1/errors',
        '/v1/openapi.json',
      ].sort(),
    );
    expect(JSON.stringify(doc.paths['/v1/accounts/{accountId}/api-keys'])).toContain('"label"');
  });

  it('describes the objects from the same schemas the types come from, and a real key has exactly those fields', async () => {
    type Doc = {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    const doc = (await (await fetch(`${s.url}/v1/openapi.json`)).json()) as Doc;
    const apiKey = doc.components.schemas.ApiKey;
    const created = await client.apiKeys.create('me', { label: 'Shape probe' });
    const { last_use, ...fetched } = await client.apiKeys.get('me', created.id);
    expect(last_use).toBeNull();
    expect(Object.keys(fetched).sort()).toEqual(Object.keys(apiKey?.properties ?? {}).sort());
    expect([...(apiKey?.required ?? [])].sort()).toEqual(Object.keys(fetched).sort());
    const one = doc.paths['/v1/accounts/{accountId}/api-keys/{keyId}']?.get?.responses['200'];
    expect(one?.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/ApiKeyWithLastUse' } },
    });
    // Every operation has a unique operationId (what a generated client names it).
    const ids = Object.values(doc.paths).flatMap((operations) =>
      Object.values(operations).map((operation) => (operation as { operationId?: string }).operationId),
    );
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Every operation declares the content of its success answer, except the 204s.
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const [status, success] = Object.entries(operation.responses).find(([code]) => code.startsWith('2')) ?? [];
        if (status !== '204' && path !== '/v1/openapi.json')
          expect({ path, method, has: !!success?.content }).toEqual({ path, method, has: true });
      }
    }
  });
});
