// The UI preview (`npm run preview:ui`) holds the keychain's secrets behind secrets:reveal, so only
// its own page may call it. Any other local process forging the Origin header, a page on another
// host name pointing at 127.0.0.1 (DNS rebinding) and a malformed body are refused over real HTTP.

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../harness/harness';
import { decodeAnswer } from '../harness/ipc-answer';

let dir: string;
let harness: Harness;
let keyId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-harness-'));
  harness = await startHarness({ dataDir: dir });
  const head = await harness.app.handlers['inventory:load']({});
  const created = await harness.app.handlers['keys:create']({
    account_id: head.accounts[0]?.id ?? '',
    label: 'Preview probe',
    expires_at: null,
  });
  expect(created.keychain.stored).toBe(true);
  keyId = created.key.id;
}, 60_000);

afterAll(async () => {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request, with whatever Host, Origin and cookie a hostile process would send. */
function send(path: string, headers: Record<string, string>, body?: string) {
  const { port } = new URL(harness.origin);
  return new Promise<{ status: number; body: string; cookie: string | undefined }>((done, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text, cookie: res.headers['set-cookie']?.[0] }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

const reveal = '/__harness/ipc/secrets%3Areveal';

describe('the UI preview', () => {
  it('refuses a process that forges the Origin but has no token', async () => {
    const host = new URL(harness.origin).host;
    const forged = await send(
      reveal,
      { host, origin: harness.origin, 'content-type': 'application/json' },
      JSON.stringify({ key_id: keyId }),
    );
    expect(forged.status).toBe(401);
    expect(forged.body).not.toMatch(/sk-[0-9a-f]{8}\./);
    expect((await send('/', { host })).status).toBe(401);
    expect((await send('/__harness/events', { host })).status).toBe(401);
  });

  it('refuses another Host name, even with the token', async () => {
    const token = new URL(harness.url).searchParams.get('token') ?? '';
    const rebound = await send(`/?token=${token}`, { host: `evil.example:${new URL(harness.origin).port}` });
    expect(rebound.status).toBe(403);
  });

  it('serves its own page: the token becomes an HttpOnly SameSite cookie, and a bad body is a 400', async () => {
    const host = new URL(harness.origin).host;
    const page = await send(new URL(harness.url).pathname + new URL(harness.url).search, { host });
    expect(page.status).toBe(200);
    expect(page.cookie).toMatch(/^keyhold_harness=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = (page.cookie ?? '').split(';')[0] as string;
    const headers = { host, origin: harness.origin, cookie, 'content-type': 'application/json' };

    const broken = await send(reveal, headers, '{"key_id": ');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'request: the body is not JSON' },
    });

    const answered = await send(reveal, headers, JSON.stringify({ key_id: keyId }));
    expect(answered.status).toBe(200);
    expect(decodeAnswer(new TextEncoder().encode(answered.body).buffer)).toMatchObject({
      ok: true,
      data: { secret: expect.stringMatching(/^sk-[0-9a-f]{8}\./) },
    });
    // The right token, but another page's Origin: the router still refuses it.
    const elsewhere = await send(
      reveal,
      { ...headers, origin: 'http://127.0.0.1:1' },
      JSON.stringify({ key_id: keyId }),
    );
    expect(decodeAnswer(new TextEncoder().encode(elsewhere.body).buffer)).toMatchObject({
      ok: false,
      error: { code: 'untrusted_sender' },
    });
  });
});
