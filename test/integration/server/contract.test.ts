// The HTTP contract: every status the server sends is in the document with the body it says, the
// document states the constraints the server enforces, and the check that guards this for every
// server test (test/support/contract.ts) does catch a drift.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractChecker } from '../../support/contract';
import { rawRequest } from '../../support/raw-http';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture;
const checker = new ContractChecker();
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => s.stop());

type Operation = {
  operationId: string;
  parameters: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, { content?: unknown; links?: Record<string, { operationId: string }> }>;
};
const doc = checker.doc as unknown as {
  info: { license?: { name: string; identifier?: string } };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
};
const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
const byId = (id: string) => operations.find((operation) => operation.operationId === id) as Operation;

async function call(method: string, path: string, init: { body?: string; type?: string; key?: string } = {}) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${init.key ?? s.adminKey}`,
      ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/json' } : {}),
    },
    body: init.body,
  });
  return { status: response.status, body: await response.text() };
}

describe('every status the server sends is documented for its operation', () => {
  it('409: revoke a revoked key, reactivate an active one', async () => {
    const key = (await s.engine.createKey(s.rootId, { label: 'Twice' }, { kind: 'system' })).key;
    const path = `/v1/accounts/me/api-keys/${key.id}`;
    expect((await call('POST', `${path}/revoke`)).status).toBe(200);
    expect((await call('POST', `${path}/revoke`)).status).toBe(409);
    expect((await call('POST', `${path}/reactivate`)).status).toBe(200);
    expect((await call('POST', `${path}/reactivate`)).status).toBe(409);
    for (const id of ['revokeKey', 'reactivateKey']) expect(byId(id).responses['409']).toBeDefined();
  });

  it('413 over 64 KiB, 414 for a long path segment, 415 for a body that is not JSON, 431 for huge headers', async () => {
    const big = await call('POST', '/v1/accounts/me/api-keys', { body: JSON.stringify({ label: 'x'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    const long = await call('GET', `/v1/accounts/me/api-keys/${'k'.repeat(150)}`);
    expect(long.status).toBe(414);
    expect(long.body).not.toContain('kkkk'); // the path is not echoed
    const text = await call('POST', '/v1/accounts/me/subaccounts', { body: 'name=EU', type: 'text/plain' });
    expect({ ...text, body: JSON.parse(text.body) }).toEqual({
      status: 415,
      body: {
        error: {
          code: 'invalid_request',
          message: 'request: send the body as Content-Type: application/json',
          param: 'request',
          request_id: expect.stringMatching(/^req_/),
          doc_url: expect.stringMatching(/^\/v1\/errors#/),
        },
      },
    });
    // Node's parser answers this one before Fastify: checked here, raw, against the document.
    const huge = await rawRequest(s.url, [
      'GET /v1/accounts/me HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${s.adminKey}`,
      `X-Padding: ${'p'.repeat(20_000)}`,
    ]);
    expect(huge.status).toBe(431);
    const contentType = /content-type: ([^\r\n]+)/i.exec(huge.head)?.[1] ?? null;
    const headers = [...huge.head.matchAll(/^([A-Za-z-]+):/gm)].map(([, name]) => (name as string).toLowerCase());
    expect(
      checker.problems({
        method: 'GET',
        route: '/v1/accounts/:accountId',
        status: 431,
        contentType,
        body: huge.body,
        headers,
      }),
    ).toEqual([]);
    expect(JSON.parse(huge.body).error.request_id).toBe(/request-id: ([^\r\n]+)/i.exec(huge.head)?.[1]);
    expect(byId('getAccount').responses['431']).toBeDefined();
    expect(byId('createKey').responses['413']).toBeDefined();
    expect(byId('getKey').responses['414']).toBeDefined();
  });

  it('400, 401, 403, 404 and 429 have the error body on every operation', async () => {
    // The two meta documents need no key: no 401, 403 or 429.
    const unauthenticated = ['getOpenApi', 'listErrorCodes'];
    for (const operation of operations.filter(({ operationId }) => !unauthenticated.includes(operationId))) {
      const statuses = Object.keys(operation.responses);
      expect({
        id: operation.operationId,
        has: ['400', '401', '403', '429'].every((s) => statuses.includes(s)),
      }).toEqual({ id: operation.operationId, has: true });
    }
  });
});

describe('the check guarding every server test', () => {
  const key = {
    id: 'key_0123456789abcdef',
    account_id: 'acc_0123456789abcdef',
    label: 'Probe',
    partial_key: 'sk-1a2b3c4d',
    status: 'active',
    created_at: '2026-11-02T09:30:00.000Z',
    updated_at: '2026-11-02T09:30:00.000Z',
    last_used_at: null,
    expires_at: null,
    revoked_at: null,
    deletes_at: null,
    last_use: null,
  };
  const getKey = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') => ({
    method: 'GET',
    route: '/v1/accounts/:accountId/api-keys/:keyId',
    status,
    contentType,
    body: JSON.stringify(body),
  });

  it('passes the documented answer and catches every kind of drift', async () => {
    expect(checker.problems(getKey(200, key))).toEqual([]);
    expect(checker.problems(getKey(200, { ...key, secret_hash: 'x' })).join()).toContain('additional properties');
    const { label: _, ...withoutLabel } = key;
    expect(checker.problems(getKey(200, withoutLabel)).join()).toContain("must have required property 'label'");
    expect(checker.problems(getKey(200, { ...key, status: 'paused' })).join()).toContain('allowed values');
    expect(checker.problems(getKey(409, { error: { code: 'conflict', message: 'x' } })).join()).toContain(
      'status not documented',
    );
    expect(checker.problems(getKey(200, key, 'text/plain')).join()).toContain('content type');
    expect(checker.problems(getKey(404, { message: 'no' })).join()).toContain("required property 'error'");
    expect(checker.problems({ ...getKey(200, key), method: 'PUT' }).join()).toContain('no such operation');
    // The headers the document says are always sent: Request-Id on every answer, and on a GET's
    // success its rate limit, ETag and Cache-Control.
    const sent = ['content-type', 'request-id', 'ratelimit', 'ratelimit-policy', 'etag', 'cache-control'];
    for (const missing of sent.slice(1)) {
      const headers = sent.filter((name) => name !== missing);
      expect(checker.problems({ ...getKey(200, key), headers }).join(), missing).toMatch(
        new RegExp(`the ${missing} header the document requires is missing`, 'i'),
      );
    }
    expect(checker.problems({ ...getKey(200, key), headers: sent })).toEqual([]);
  });

  it('records the responses of a real server and counts a drift in them', async () => {
    const drifting = s.engine.getKey.bind(s.engine);
    const created = (await s.engine.createKey(s.rootId, { label: 'Probe' }, { kind: 'system' })).key;
    expect(s.contractViolations).toEqual([]);
    // A handler that returns a field the schema does not name: the serializer drops it, so the
    // answer still matches the document and the field never leaves the server.
    s.engine.getKey = async (accountId, keyId) =>
      ({ ...(await drifting(accountId, keyId)), secret_hash: 'leak' }) as never;
    const answer = await call('GET', `/v1/accounts/me/api-keys/${created.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain('leak');
    expect(s.contractViolations).toEqual([]);
    // A handler that drops a required field: the serializer refuses it (500), which the recorder
    // notes (the document's default response covers a 5xx for clients; in a test it is a failure).
    s.engine.getKey = async (accountId, keyId) => {
      const { label: _, ...rest } = await drifting(accountId, keyId);
      return rest as never;
    };
    expect((await call('GET', `/v1/accounts/me/api-keys/${created.id}`)).status).toBe(500);
    expect(s.contractViolations.join()).toContain('500: a server error');
    s.contractViolations.length = 0;
  });
});

describe('the document states what the server enforces', () => {
  it('ids, text limits, cursors, PATCH bodies, control characters and future expirations', async () => {
    const idParam = byId('getKey').parameters.find((parameter) => parameter.name === 'keyId');
    expect(idParam?.schema).toMatchObject({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
    const query = Object.fromEntries(byId('listKeys').parameters.map(({ name, schema }) => [name, schema]));
    expect(query.q).toMatchObject({ maxLength: 100 });
    expect(query.cursor).toMatchObject({ maxLength: 500 });
    const patchKey = byId('updateKey').requestBody?.content['application/json'].schema;
    expect(patchKey).toMatchObject({ minProperties: 1, additionalProperties: false });
    expect(byId('updateAccount').requestBody?.content['application/json'].schema).toMatchObject({ minProperties: 1 });
    const create = byId('createKey').requestBody?.content['application/json'].schema as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(create.properties.label).toMatchObject({ minLength: 1, maxLength: 100 });
    // JSON Schema patterns have Unicode semantics (the `u` flag), which \p{...} classes need.
    const pattern = new RegExp(create.properties.label?.pattern as string, 'u');
    expect(['CI deploy', 'Ünïcödé ✓', 'Café prod'].every((label) => pattern.test(label))).toBe(true);
    const hidden = ['a\u009bb', 'a\u202eb', 'tab\there', 'a\u0000', '\u3164', 'a\u200bb', 'a\u2028b', 'a\ufeff'];
    expect(hidden.some((label) => pattern.test(label))).toBe(false);
    expect(query.q?.pattern).toBe(create.properties.label?.pattern);
    expect(JSON.stringify(create.properties.expires_at)).toContain('Must be in the future');
  });

  it('limits names as sent: a name padded past 100 characters is refused, as the document says', async () => {
    const padded = await call('POST', '/v1/accounts/me/subaccounts', {
      body: JSON.stringify({ name: ` ${'n'.repeat(100)} ` }),
    });
    expect(padded.status).toBe(400);
    expect(JSON.parse(padded.body).error.message).toBe('name: must be at most 100 characters');
    const trimmed = await call('POST', '/v1/accounts/me/subaccounts', { body: JSON.stringify({ name: '  EU  ' }) });
    expect(JSON.parse(trimmed.body)).toMatchObject({ name: 'EU' });
    const empty = await call('PATCH', `/v1/accounts/${s.rootId}`, { body: '{}' });
    expect(JSON.parse(empty.body).error.message).toBe('request: give name or status');
  });

  it('links the created key to reading, revoking and its usage; has a licence; references its objects', async () => {
    const links = byId('createKey').responses['201']?.links ?? {};
    expect(Object.values(links).map(({ operationId }) => operationId)).toEqual(['getKey', 'revokeKey', 'getKeyUsage']);
    expect(doc.info.license?.identifier).toBeTruthy();
    const text = JSON.stringify(doc.paths);
    for (const name of ['Account', 'ApiKey', 'KeyEvent', 'DailyUsage', 'Agent', 'Error']) {
      expect(text).toContain(`"#/components/schemas/${name}"`);
    }
  });
});
