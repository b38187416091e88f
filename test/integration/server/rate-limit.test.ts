import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../../src/server/server';
import { ManualClock } from '../../support/clock';
import { RELAXED_LIMITS, type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => s?.stop());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('rate limits', () => {
  it('per key: 429 with Retry-After and RateLimit headers, then success after Retry-After', async () => {
    const rateClock = new ManualClock(); // the buckets refill only when the test moves time
    s = await startTestServer({
      rateLimits: { ...RELAXED_LIMITS, perKey: { name: 'key', capacity: 3, refillPerSecond: 1 } },
      rateClock,
    });
    const headers = { authorization: `Bearer ${s.adminKey}` };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${s.url}/v1/accounts/me`, { headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.headers.get('retry-after')).toBe('1');
    expect(last?.headers.get('ratelimit-policy')).toBe('"key";q=3;w=3');
    expect(last?.headers.get('ratelimit')).toMatch(/^"key";r=0;t=\d+$/);
    expect(await last?.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.any(String),
        request_id: expect.stringMatching(/^req_/),
        doc_url: expect.stringMatching(/^\/v1\/errors#/),
      },
    });

    rateClock.advance(Number(last?.headers.get('retry-after')) * 1000 - 1);
    expect((await fetch(`${s.url}/v1/accounts/me`, { headers })).status).toBe(429);
    rateClock.advance(1);
    const after = await fetch(`${s.url}/v1/accounts/me`, { headers });
    expect(after.status).toBe(200);
    expect(after.headers.get('ratelimit')).toMatch(/^"key";r=0;t=\d+$/);
  });

  it('a call refused with 429 is counted apart and is not a use of the key', async () => {
    const rateClock = new ManualClock();
    s = await startTestServer({
      rateLimits: { ...RELAXED_LIMITS, perKey: { name: 'key', capacity: 2, refillPerSecond: 1 } },
      rateClock,
    });
    const key = await s.engine.createKey(s.rootId, { label: 'Busy worker' }, { kind: 'system' });
    const call = () => fetch(`${s?.url}/v1/accounts/me`, { headers: { authorization: `Bearer ${key.secret}` } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    s.clock.advance(60_000); // the stored last use must be the served call's time, not a later 429's
    for (let i = 0; i < 2; i++) expect((await call()).status).toBe(429);
    expect(await s.engine.keyUsage(null, key.key.id, 1)).toEqual([{ day: '2026-06-01', count: 2, rate_limited: 5 }]);
    expect((await s.engine.getKey(null, key.key.id)).last_used_at).toBe('2026-06-01T12:00:00.000Z');
  });

  it('the SDK waits as Retry-After asks and then succeeds', async () => {
    s = await startTestServer({
      rateLimits: { ...RELAXED_LIMITS, perKey: { name: 'key', capacity: 1, refillPerSecond: 1 } },
    });
    const waits: number[] = [];
    const client = s.client(undefined, {
      retry: { maxRetries: 3 },
      sleep: (ms) => {
        waits.push(ms);
        return sleep(ms);
      },
    });
    await client.accounts.get();
    const started = Date.now();
    await expect(client.accounts.get()).resolves.toMatchObject({ id: s.rootId });
    expect(waits).toEqual([1000]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('failed authentications per address are limited more strictly, even for a valid key afterwards', async () => {
    s = await startTestServer({
      rateLimits: {
        ...RELAXED_LIMITS,
        failedAuthPerAddress: { name: 'failed-auth', capacity: 3, refillPerSecond: 0.5 },
      },
    });
    const bad = { authorization: 'Bearer sk-00000000.guess' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${s.url}/v1/accounts/me`, { headers: bad })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await fetch(`${s.url}/v1/accounts/me`, { headers: { authorization: `Bearer ${s.adminKey}` } });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('2');
    expect(blocked.headers.get('ratelimit-policy')).toBe('"failed-auth";q=3;w=6');
  });

  it('behind a trusted proxy, failed authentications are limited per client address it forwards, and only then', async () => {
    const strict = {
      ...RELAXED_LIMITS,
      failedAuthPerAddress: { name: 'failed-auth', capacity: 2, refillPerSecond: 0.01 },
    };
    const bad = (forwardedFor: string) =>
      fetch(`${s?.url}/v1/accounts/me`, {
        headers: { authorization: 'Bearer sk-00000000.guess', 'x-forwarded-for': forwardedFor },
      }).then((response) => response.status);
    s = await startTestServer({ rateLimits: strict, trustProxy: '127.0.0.1' });
    expect([await bad('203.0.113.7'), await bad('203.0.113.7'), await bad('203.0.113.7')]).toEqual([401, 401, 429]);
    expect(await bad('198.51.100.4')).toBe(401); // another client behind the same proxy has its own allowance
    await s.stop();

    // Without --trust-proxy the header is the client's word: ignored, the connection's address counts.
    s = await startTestServer({ rateLimits: strict });
    expect([await bad('203.0.113.7'), await bad('198.51.100.4'), await bad('192.0.2.1')]).toEqual([401, 401, 429]);
  });

  it('defaults: a burst of 120 per key, 10 failed authentications per address', async () => {
    expect(DEFAULT_RATE_LIMITS.perKey.capacity).toBe(120);
    expect(DEFAULT_RATE_LIMITS.failedAuthPerAddress.capacity).toBe(10);
  });
});
