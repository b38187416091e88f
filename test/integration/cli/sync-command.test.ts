// `keyhold sync` keeps an inventory file in step with a real server on 127.0.0.1 (in process: the
// CLI's `main`, at the server's clock): every key the first time, then only what changed, the file
// replaced whole and audited offline; a token past the horizon reads every key again.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/keyhold';
import { API_KEY_ENV } from '../../../src/shared/env-names';
import { parseInventoryFile } from '../../../src/shared/report/inventory-file';
import { admin } from '../../support/engine';
import { keysOnPlatform, type ServerFixture, startTestServer } from '../../support/server';

let s: ServerFixture | undefined;
let dir: string | undefined;
afterEach(async () => {
  delete process.env[API_KEY_ENV];
  await s?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(fixture: ServerFixture, ...args: string[]) {
  const out: string[] = [];
  const code = await main(args, fixture.clock.now(), (text) => {
    out.push(text);
  });
  return { code, text: out.join('') };
}

const read = (file: string) => parseInventoryFile('inventory.json', readFileSync(file, 'utf8'));

describe('keyhold sync', () => {
  it('writes every key the first time, then only what changed, and the file audits offline', async () => {
    s = await startTestServer({ engine: { tombstoneDays: 30 } });
    dir = mkdtempSync(join(tmpdir(), 'keyhold-sync-'));
    const file = join(dir, 'inventory.json');
    const eu = await s.engine.createSubaccount(s.rootId, { name: 'EU' });
    const kept = await s.engine.createKey(eu.id, { label: 'EU worker' }, admin);
    const doomed = await s.engine.createKey(s.rootId, { label: 'Test' }, admin);
    process.env[API_KEY_ENV] = s.adminKey;

    const first = await cli(s, 'sync', '--url', s.url, '--to', file);
    expect(first).toMatchObject({ code: 0, text: expect.stringContaining('every key; 3 keys in 2 accounts') });
    const written = read(file);
    expect(new Map(written.keys.map((key) => [key.id, key]))).toEqual(await keysOnPlatform(s));
    expect(written.accounts.map((account) => account.name)).toEqual(['Acme', 'EU']);
    expect(written.sync_token).toMatch(/^[\w-]+$/);

    s.clock.advance(60_000);
    await s.engine.updateKey(null, kept.key.id, { label: 'EU billing worker' }, admin);
    await s.engine.deleteKey(null, doomed.key.id, admin);
    await s.engine.createKey(eu.id, { label: 'EU deploy' }, admin);
    await s.engine.updateAccount(eu.id, { name: 'Europe' });
    const next = await cli(s, 'sync', '--url', s.url, '--to', file);
    // The admin key's last use moved with the first sync: a change too.
    expect(next).toMatchObject({ code: 0, text: expect.stringContaining('4 changes; 3 keys in 2 accounts') });
    const updated = read(file);
    expect(new Map(updated.keys.map((key) => [key.id, key]))).toEqual(await keysOnPlatform(s));
    expect(updated.accounts.map((account) => account.name)).toEqual(['Acme', 'Europe']);
    expect(readdirSync(dir)).toEqual(['inventory.json']); // nothing left beside it

    // Offline: the file alone, as `keyhold audit --file` reads it.
    const audit = await cli(s, 'audit', '--file', file, '--json');
    expect(JSON.parse(audit.text).keys).toBe(3);

    // Past the platform's memory of deletions: every key again.
    await s.engine.deleteKey(null, kept.key.id, admin);
    s.clock.advanceDays(31);
    await s.engine.flush();
    const again = await cli(s, 'sync', '--url', s.url, '--to', file);
    expect(again.text).toContain('every key; 2 keys');
    expect(new Map(read(file).keys.map((key) => [key.id, key]))).toEqual(await keysOnPlatform(s));
  });

  it('refuses a --to that is not an inventory, and leaves it as it was', async () => {
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'keyhold-sync-'));
    const file = join(dir, 'notes.json');
    writeFileSync(file, '{"these": "are my notes"}');
    process.env[API_KEY_ENV] = s.adminKey;
    const out = await cli(s, 'sync', '--url', s.url, '--to', file);
    expect(out.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('{"these": "are my notes"}');
    expect((await cli(s, 'sync', '--url', s.url)).code).toBe(2); // --to is required
    expect(existsSync(join(dir, 'inventory.json'))).toBe(false);
  });
});
