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
    });
    // An error that is not about a field has no param, and still its request id.
    const missing = await fetch(`${fixture.url}/v1/accounts/me/api-keys/key_0000000000000000`, {
      headers: { authorization: `Bearer ${fixture.adminKey}` },
    });
    expect(((await missing.json()) as { error: unknown }).error).toEqual({
      code: 'not_found',
      message: expect.any(String),
      request_id: missing.headers.get('request-id'),
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
});
