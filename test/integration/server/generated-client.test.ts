// A client generated from the OpenAPI document by standard tools (openapi-typescript for the
// types, openapi-fetch to call) compiles, its types are the SDK's, and it drives the real server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { CLIENT_TYPES_PATH, clientTypesText, DOCUMENT_PATH, documentText, ROOT } from '../../../scripts/api-artifacts';
import type { Account, Agent, ApiKey, DailyUsage, KeyEvent, KeyPage } from '../../../src/shared/domain';
import type { components, paths } from '../../generated/keyhold-api';
import { type ServerFixture, startTestServer } from '../../support/server';

type Schemas = components['schemas'];

let s: ServerFixture;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(() => s.stop());

describe('the generated client', () => {
  it('is generated from the current document, and the document from the current routes', async () => {
    const stale = 'out of date: run `npm run api:generate`';
    expect(readFileSync(join(ROOT, DOCUMENT_PATH), 'utf8') === documentText(), `${DOCUMENT_PATH} ${stale}`).toBe(true);
    const types = await clientTypesText();
    expect(readFileSync(join(ROOT, CLIENT_TYPES_PATH), 'utf8') === types, `${CLIENT_TYPES_PATH} ${stale}`).toBe(true);
  });

  it('has the SDK’s types for every object (checked by the compiler)', () => {
    expectTypeOf<Schemas['Account']>().toEqualTypeOf<Account>();
    expectTypeOf<Schemas['ApiKey']>().toEqualTypeOf<ApiKey>();
    expectTypeOf<Schemas['KeyEvent']>().toEqualTypeOf<KeyEvent>();
    expectTypeOf<Schemas['DailyUsage']>().toEqualTypeOf<DailyUsage>();
    expectTypeOf<Schemas['Agent']>().toEqualTypeOf<Agent>();
    type ListKeys = paths['/v1/accounts/{accountId}/api-keys']['get']['responses'][200]['content']['application/json'];
    expectTypeOf<ListKeys>().toEqualTypeOf<KeyPage>();
  });

  it('sends an Idempotency-Key and walks the change feed, typed by the document', async () => {
    const api = createClient<paths>({ baseUrl: s.url, headers: { authorization: `Bearer ${s.adminKey}` } });
    const params = { path: { accountId: 'me' }, header: { 'Idempotency-Key': 'generated-client-1' } };
    const first = await api.POST('/v1/accounts/{accountId}/subaccounts', { params, body: { name: 'Generated' } });
    const again = await api.POST('/v1/accounts/{accountId}/subaccounts', { params, body: { name: 'Generated' } });
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
    const other = await api.POST('/v1/accounts/{accountId}/subaccounts', { params, body: { name: 'Other' } });
    expect(other.response.status).toBe(422);
    expect(other.error).toMatchObject({ error: { code: 'idempotency_mismatch' } });

    for (const label of ['one', 'two']) await s.engine.createKey(s.rootId, { label }, { kind: 'system' });
    const ids: string[] = [];
    let cursor: string | undefined;
    let token: string | null = null;
    do {
      const page = await api.GET('/v1/accounts/{accountId}/changes', {
        params: { path: { accountId: 'me' }, query: cursor ? { cursor, limit: 1 } : { limit: 1 } },
      });
      ids.push(...(page.data?.keys.id ?? []));
      cursor = page.data?.next_cursor ?? undefined;
      token = page.data?.sync_token ?? null;
    } while (cursor);
    expect(ids).toHaveLength(3); // the admin key and the two
    const since = await api.GET('/v1/accounts/{accountId}/changes', {
      params: { path: { accountId: 'me' }, query: { since: token as string } },
    });
    expect(since.data?.full).toBe(false);
  });

  it('revalidates with If-None-Match (304) and guards a write with If-Match (412), typed by the document', async () => {
    const api = createClient<paths>({ baseUrl: s.url, headers: { authorization: `Bearer ${s.adminKey}` } });
    const { key } = await s.engine.createKey(s.rootId, { label: 'Conditional' }, { kind: 'system' });
    const path = { accountId: 'me', keyId: key.id };
    const read = await api.GET('/v1/accounts/{accountId}/api-keys/{keyId}', { params: { path } });
    const etag = read.response.headers.get('etag') as string;
    const again = await api.GET('/v1/accounts/{accountId}/api-keys/{keyId}', {
      params: { path, header: { 'If-None-Match': etag } },
    });
    expect(again.response.status).toBe(304);

    const first = await api.PATCH('/v1/accounts/{accountId}/api-keys/{keyId}', {
      params: { path, header: { 'If-Match': etag } },
      body: { label: 'Conditional (mine)' },
    });
    expect(first.data?.label).toBe('Conditional (mine)');
    const stale = await api.PATCH('/v1/accounts/{accountId}/api-keys/{keyId}', {
      params: { path, header: { 'If-Match': etag } },
      body: { label: 'Conditional (theirs)' },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error).toMatchObject({ error: { code: 'precondition_failed', param: 'If-Match' } });
  });

  it('creates, lists, revokes and reads errors on the real server', async () => {
    const api = createClient<paths>({ baseUrl: s.url, headers: { authorization: `Bearer ${s.adminKey}` } });
    const me = { path: { accountId: 'me' } };
    const created = await api.POST('/v1/accounts/{accountId}/api-keys', {
      params: me,
      body: { label: 'Generated client', expires_at: '2099-01-01T00:00:00Z' },
    });
    expect(created.response.status).toBe(201);
    expect(created.data?.secret).toMatch(/^sk-[0-9a-f]{8}\./);
    const keyId = created.data?.id as string;

    const page = await api.GET('/v1/accounts/{accountId}/api-keys', {
      params: { ...me, query: { q: 'generated', sort: 'label', limit: 10 } },
    });
    expect(page.data?.data.map((key) => key.label)).toEqual(['Generated client']);

    const key = { path: { accountId: 'me', keyId } };
    const revoked = await api.POST('/v1/accounts/{accountId}/api-keys/{keyId}/revoke', { params: key });
    expect(revoked.data?.status).toBe('revoked');
    const again = await api.POST('/v1/accounts/{accountId}/api-keys/{keyId}/revoke', { params: key });
    expect(again.response.status).toBe(409);
    // The API's shape, or RFC 9457's when asked for: the client types both.
    expectTypeOf(again.error).toEqualTypeOf<Schemas['Error'] | Schemas['Problem'] | undefined>();
    const apiShape = (answer: Schemas['Error'] | Schemas['Problem'] | undefined) =>
      answer && 'error' in answer ? answer.error : undefined;
    expect(apiShape(again.error)?.code).toBe('conflict');

    const refused = await api.PATCH('/v1/accounts/{accountId}/api-keys/{keyId}', {
      params: key,
      body: { label: '' },
    });
    expect(apiShape(refused.error)).toEqual({
      code: 'invalid_request',
      message: 'label: must not be empty',
      param: 'label',
      request_id: expect.stringMatching(/^req_/),
      doc_url: expect.stringMatching(/^\/v1\/errors#/),
    });
  });
});
