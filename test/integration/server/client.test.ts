// The SDK's retry, timeout and error behaviour against small real HTTP servers on loopback that
// misbehave on purpose.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyholdClient } from '../../../src/sdk/client';
import { KeyholdApiError } from '../../../src/sdk/errors';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<string> {
  let calls = 0;
  const created = createServer((req, res) => handler(req, res, ++calls));
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const instant = { sleep: async () => {}, random: () => 0.5 };

describe('KeyholdClient', () => {
  it('retries a GET on 5xx and succeeds, with jittered waits growing up to the cap', async () => {
    const waits: number[] = [];
    const url = await serve((_req, res, n) =>
      n < 4 ? json(res, 503, { error: { code: 'unavailable', message: 'busy' } }) : json(res, 200, { id: 'acc_x' }),
    );
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.test',
      retry: { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 300 },
      random: () => 1,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(client.accounts.get()).resolves.toEqual({ id: 'acc_x' });
    expect(waits).toEqual([100, 200, 300]);
  });

  it('gives up after maxRetries with a typed error carrying code and status', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      json(res, 502, { error: { code: 'unavailable', message: 'upstream down' } });
    });
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.test',
      retry: { maxRetries: 2 },
      ...instant,
    });
    const error = await client.accounts.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyholdApiError);
    expect(error).toMatchObject({ code: 'unavailable', status: 502, message: 'upstream down' });
    expect(calls).toBe(3);
  });

  it('stops retrying once the total time budget is spent', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      json(res, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '20' });
    });
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.test',
      retry: { maxRetries: 10, maxTotalMs: 5000 },
      ...instant,
    });
    await expect(client.accounts.get()).rejects.toMatchObject({ status: 429, retryAfter: 20 });
    expect(calls).toBe(1);
  });

  it('reads a Retry-After date against its clock (injected: a machine whose clock is off waits what the server means)', async () => {
    const serverNow = Date.parse('2031-05-01T10:00:00.000Z');
    const url = await serve((_req, res, n) =>
      n === 1
        ? json(
            res,
            429,
            { error: { code: 'rate_limited', message: 'slow down' } },
            {
              'retry-after': new Date(serverNow + 3000).toUTCString(),
            },
          )
        : json(res, 200, { id: 'acc_1', name: 'Root' }),
    );
    const waits: number[] = [];
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.test',
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
      clock: { now: () => serverNow },
    });
    await expect(client.accounts.get()).resolves.toMatchObject({ id: 'acc_1' });
    expect(waits).toEqual([3000]);
  });

  it('retries a POST on 5xx with the same Idempotency-Key each time, so the platform runs it once', async () => {
    const keys: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      keys.push(req.headers['idempotency-key'] as string | undefined);
      json(res, 500, { error: { code: 'internal', message: 'boom' } });
    });
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.test',
      retry: { maxRetries: 3 },
      ...instant,
    });
    await expect(client.apiKeys.create('me', { label: 'Once only' })).rejects.toMatchObject({ status: 500 });
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    // Another call, another key.
    await expect(client.apiKeys.create('me', { label: 'Once only' })).rejects.toMatchObject({ status: 500 });
    expect(new Set(keys).size).toBe(2);
  });

  it('times out a slow answer and reports it without the key', async () => {
    const url = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 2000));
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.secretpart',
      timeoutMs: 100,
      retry: { maxRetries: 0 },
    });
    const error = (await client.accounts.get().catch((caught: unknown) => caught)) as KeyholdApiError;
    expect(error).toMatchObject({
      code: 'unavailable',
      status: 0,
      message: expect.stringContaining('no answer within 100 ms'),
    });
    expect(error.message).not.toContain('secretpart');
  });

  it('reports an unreachable platform as unavailable', async () => {
    const url = await serve(() => {});
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const client = new KeyholdClient({
      baseUrl: url,
      apiKey: 'sk-00000000.test',
      retry: { maxRetries: 1 },
      ...instant,
    });
    await expect(client.accounts.get()).rejects.toMatchObject({
      code: 'unavailable',
      status: 0,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('sends the key only in the Authorization header, defaulting to ITELLICO_API_KEY', async () => {
    const seen: Array<{ url?: string; auth?: string }> = [];
    const url = await serve((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      json(res, 200, { data: [], next_cursor: null });
    });
    process.env.ITELLICO_API_KEY = 'sk-11111111.fromenv';
    try {
      await new KeyholdClient({ baseUrl: `${url}/` }).apiKeys.list('me', { q: 'x' });
    } finally {
      delete process.env.ITELLICO_API_KEY;
    }
    expect(seen).toEqual([{ url: '/v1/accounts/me/api-keys?q=x', auth: 'Bearer sk-11111111.fromenv' }]);
    expect(() => new KeyholdClient({ baseUrl: url })).toThrow(/^apiKey: /);
    expect(() => new KeyholdClient({ baseUrl: 'ftp://x', apiKey: 'k' })).toThrow(/^baseUrl: /);
  });
});
