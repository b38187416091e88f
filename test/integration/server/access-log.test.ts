// The server as a real process: whatever a caller puts in a URL, the access log on stdout and the
// error bodies never hold a secret. Encoded forms (`%2E` for the dot, `%73k-`), a query string
// and paths that end in 403 or 404 included.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';

const dir = mkdtempSync(join(tmpdir(), 'keyhold-log-'));
const db = join(dir, 'platform.db');

let child: ChildProcess;
let output = '';
let url = '';
let adminKey = '';

beforeAll(async () => {
  child = spawn(KEYHOLD_NODE, keyholdArgs('serve', '--db', db, '--port', '0'), { cwd: dir });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise<void>((done, fail) => {
    const timer = setInterval(() => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        url = match[1] as string;
        adminKey = output.split('\n').find((line) => /^sk-[0-9a-f]{8}\./.test(line)) as string;
        done();
      }
    }, 50);
    child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${output}`)));
  });
}, 60_000);

afterAll(() => {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('the access log and error bodies', () => {
  it('never hold a secret, however it is written into the URL', async () => {
    // A second key whose secret we try to leak; the bootstrap key authenticates.
    const created = spawnSync(KEYHOLD_NODE, keyholdArgs('create-admin-key', '--db', db, '--label', 'Leak probe'), {
      encoding: 'utf8',
    });
    const leaked = created.stdout.split('\n').find((line) => /^sk-[0-9a-f]{8}\./.test(line)) as string;
    const [publicPart, secretPart] = leaked.split('.') as [string, string];
    const auth = { authorization: `Bearer ${adminKey}` };
    const paths = [
      `/v1/accounts/me/api-keys/${leaked}`,
      `/v1/accounts/me/api-keys/${publicPart}%2E${secretPart}`,
      `/v1/accounts/me/api-keys/%73k-${publicPart.slice(3)}.${secretPart}`,
      `/v1/accounts/me/api-keys/${secretPart}`,
      `/v1/accounts/me?access_token=${leaked}`,
      `/v1/accounts/me?access_token=${secretPart}`,
      `/v1/nothing/${leaked}`,
      `/v1/nothing/${secretPart}`,
      `/v1/accounts/${secretPart}/api-keys`,
    ];
    const bodies: string[] = [];
    for (const path of paths) {
      const response = await fetch(`${url}${path}`, { headers: auth });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      bodies.push(await response.text());
    }
    // A 404 says so without echoing the path.
    expect(bodies[6]).toMatch(
      /^\{"error":\{"code":"not_found","message":"No route for this method and path.","request_id":"req_[0-9a-f]{16}","doc_url":"\/v1\/errors#not_found"\}\}$/,
    );
    await new Promise((done) => setTimeout(done, 200)); // the log lines are written after each response
    const log = output.split('\n').filter((line) => / (GET|POST) /.test(line));
    expect(log.length).toBeGreaterThanOrEqual(paths.length);
    for (const text of [...log, ...bodies]) {
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain(secretPart.slice(0, 20));
    }
    // What the log does say: the route pattern and the ids it parsed.
    expect(
      log.some((line) => line.includes('GET /v1/accounts/:accountId/api-keys/:keyId') && line.includes('404')),
    ).toBe(true);
    expect(log.some((line) => line.includes('GET (no route)'))).toBe(true);
  }, 60_000);
});
