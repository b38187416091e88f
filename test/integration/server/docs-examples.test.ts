// The curl walkthrough in docs/api.md, run as written against a live server.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.stop());

it('runs every sh block of the walkthrough without an error', async () => {
  const doc = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8');
  const walkthrough = doc.slice(doc.indexOf('## Walkthrough with curl'));
  const blocks = [...walkthrough.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
  expect(blocks.length).toBeGreaterThan(8);
  // The reader sets these two by hand; the test points them at its own server.
  const script = blocks.join('\n').replace(/^export (KEYHOLD_URL|ITELLICO_API_KEY)=.*$/gm, '');
  // Asynchronously: the server answering these requests runs in this very process.
  const { stdout: output } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    env: { ...process.env, KEYHOLD_URL: s.url, ITELLICO_API_KEY: s.adminKey },
    encoding: 'utf8',
  });
  expect(output).toContain('"parent_id":null');
  expect(output).toContain('parent account: 403');
  expect(output).toContain('"label":"Production EU billing (rotated)"');
  expect(output).toContain('error_description="The API key has been revoked"');
  expect(output).toContain('"valid":true');
  expect(output).toContain('"name":"Support bot"');
  expect(output).toContain('deleted: 204');
  expect(output).toContain('/v1/openapi.json');
  expect(output).toMatch(/HTTP\/1\.1 201 Created\r?\nHTTP\/1\.1 201 Created\r?\nidempotent-replayed: true/); // run once, then replayed
  expect(output).toMatch(/"full":false,"changed":\[("key_\w+")?\],"deleted":\[\]/); // the change feed: nothing since
  expect(output).toContain('unchanged: 304\nedited from that read: 200\nedited again from the same read: 412');
});
