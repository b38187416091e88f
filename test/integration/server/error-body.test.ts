// What a client gets with an error: the field at fault (`param`), every field when several are
// (`errors`), and the request's id (`request_id`, the same as its Request-Id header and the access
// log's `req=`), on the real server; and the SDK's error carrying them.
import { afterEach, describe, expect, it } from 'vitest';
import { KeyholdApiError, KeyholdClient } from '../../../src/sdk';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => s?.stop());

describe('error bodies', () => {
  it('name the fields at fault and carry the request id of the Request-Id header', async () => {
    s = await startTestServer();
    const fixture = s;
    const response = await fetch(`${fixture.url}/v1/accounts/me/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: '', expires_at: 'soon' }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: Record<string, unknown> };
    expect(error).toEqual({
      code: 'invalid_request',
      message: expect.stringMatching(/^label: .+; expires_at: /),
      param: 'label',
      errors: [
        { param: 'label', message: expect.any(String) },
        { param: 'expires_at', message: expect.any(String) },
      ],
      request_id: response.headers.get('request-id'),
      doc_url: '/v1/errors#invalid_request',
    });
    // One field at fault: its param, no list. A client's own request id is the one given back.
    const one = await fetch(`${fixture.url}/v1/accounts/me/api-keys?limit=0`, {
      headers: { authorization: `Bearer ${fixture.adminKey}`, 'x-request-id': 'client-7f3a' },
    });
    expect(((await one.json()) as { error: unknown }).error).toEqual({
      code: 'invalid_request',
      message: expect.stringMatching(/^limit: /),
      param: 'limit',
      request_id: 'client-7f3a',
      doc_url: '/v1/errors#invalid_request',
    });
    // An error that is not about a field has no param, and still its request id.
    const missing = await fetch(`${fixture.url}/v1/accounts/me/api-keys/key_0000000000000000`, {
      headers: { authorization: `Bearer ${fixture.adminKey}` },
    });
    expect(((await missing.json()) as { error: unknown }).error).toEqual({
      code: 'not_found',
      message: expect.any(String),
      request_id: missing.headers.get('request-id'),
      doc_url: '/v1/errors#not_found',
    });
    expect(fixture.logs.some((line) => line.endsWith(`req=${missing.headers.get('request-id')}`))).toBe(true);
  });

  it('reach the SDK: the error carries the request id and the field', async () => {
    s = await startTestServer();
    const client = new KeyholdClient({ baseUrl: s.url, apiKey: s.adminKey });
    const failure = await client.apiKeys.create('me', { label: '' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KeyholdApiError);
    const error = failure as KeyholdApiError;
    expect(error.param).toBe('label');
    expect(error.requestId).toMatch(/^req_[0-9a-f]{16}$/);
    expect(error.status).toBe(400);
  });

  it('come in RFC 9457 form to a client that asks, and each code is explained at its doc_url', async () => {
    s = await startTestServer();
    const fixture = s;
    const response = await fetch(`${fixture.url}/v1/accounts/me/api-keys?limit=0`, {
      headers: { authorization: `Bearer ${fixture.adminKey}`, accept: 'application/problem+json' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toEqual({
      type: '/v1/errors#invalid_request',
      title: 'The request is not valid',
      status: 400,
      detail: expect.stringMatching(/^limit: /),
      code: 'invalid_request',
      param: 'limit',
      request_id: response.headers.get('request-id'),
      doc_url: '/v1/errors#invalid_request',
    });
    // A refusal before any route (no key at all) too.
    const refused = await fetch(`${fixture.url}/v1/accounts/me`, { headers: { accept: 'application/problem+json' } });
    expect(((await refused.json()) as { status: number; code: string }).code).toBe('unauthorized');

    // The doc_url leads to the code's explanation, on the server itself and without a key.
    const docs = (await (await fetch(`${fixture.url}/v1/errors`)).json()) as {
      data: Array<{ code: string; status: number; title: string; help: string }>;
    };
    const codes = docs.data.map((entry) => entry.code);
    const { SERVER_ERROR_CODES } = await import('../../../src/server/responses');
    expect([...codes].sort()).toEqual([...SERVER_ERROR_CODES].sort());
    expect(docs.data.find((entry) => entry.code === 'rate_limited')).toMatchObject({ status: 429 });
    expect(fixture.contractViolations).toEqual([]);
  });
});
