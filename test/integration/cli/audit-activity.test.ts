// `keyhold audit` reads the keys' use from the platform's request log: a key used from a new source
// and a revoked key still presented are findings over HTTP, as in the app. In process (the CLI's
// `main`, at the server's clock) against a real server on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/keyhold';
import { API_KEY_ENV } from '../../../src/shared/env-names';
import { DAY_MS } from '../../../src/shared/utc-time';
import { admin } from '../../support/engine';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
afterEach(async () => {
  delete process.env[API_KEY_ENV];
  await s?.stop();
});

describe('keyhold audit and the request log', () => {
  it('flags a new source and a revoked key still presented, with the policy’s window', async () => {
    s = await startTestServer();
    const { engine, rootId, clock, url } = s;
    const worker = await engine.createKey(rootId, { label: 'Billing worker' }, admin);
    const old = await engine.createKey(rootId, { label: 'Old billing worker' }, admin);
    await engine.revokeKey(null, old.key.id, admin);
    const present = (secret: string, agent: string) =>
      fetch(`${url}/v1/accounts/me`, { headers: { authorization: `Bearer ${secret}`, 'user-agent': agent } });
    await present(worker.secret, 'billing/1.0');
    clock.advance(20 * DAY_MS);
    await present(worker.secret, 'stranger/2.0');
    for (let i = 0; i < 3; i++) await present(old.secret, 'billing/1.0');

    process.env[API_KEY_ENV] = s.adminKey;
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const code = await main(['audit', '--url', url, ...args], clock.now(), (text) => {
        out.push(text);
      });
      return { code, text: out.join('') };
    };
    const report = JSON.parse((await run('--json')).text) as { findings: Array<{ rule: string; key_id: string }> };
    const activity = report.findings
      .filter((f) => ['new_source', 'refused_attempts', 'many_sources', 'used_after_exposure'].includes(f.rule))
      .map((f) => [f.rule, f.key_id])
      .sort();
    expect(activity).toEqual([
      ['new_source', worker.key.id],
      ['refused_attempts', old.key.id],
    ]);
    const plain = await run();
    expect(plain.text).toContain('Still presented after revocation or expiry (1)');
    expect(plain.text).toContain('“Old billing worker”');
    expect(plain.text).toMatch(/was presented 3 times after its revocation or expiry in the last 7 days/);
  });
});
