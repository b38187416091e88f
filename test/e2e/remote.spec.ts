// A remote connection to a real platform server started by the test on 127.0.0.1, then the same
// inventory read from the local cache after that server stops.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openSqliteEngine } from '../../src/platform/store/sqlite/open-engine';
import type { SqliteStore } from '../../src/platform/store/sqlite/sqlite-store';
import { buildServer } from '../../src/server/server';
import { expect, shootBothThemes, test } from './support/fixtures';
import { showAccounts } from './support/key-rows';
import { secretToolLookup } from './support/keychain';

test('adds a remote platform, syncs it, acts on it, and shows the cached inventory offline', async ({
  app,
  harness,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-remote-'));
  const engine = openSqliteEngine(join(dir, 'platform.db'));
  const root = await engine.ensureRootAccount('Acme platform');
  const eu = await engine.createSubaccount(root.id, { name: 'Acme EU' });
  const adminKey = (await engine.createKey(root.id, { label: 'Keyhold desktop admin' }, { kind: 'system' })).secret;
  await engine.createKey(eu.id, { label: 'EU checkout service' }, { kind: 'system' });
  await engine.createKey(eu.id, { label: 'EU fraud scoring' }, { kind: 'system' });
  let server: FastifyInstance | null = await buildServer({ engine, log: () => {} });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

  try {
    await app.getByTestId('add-connection').click();
    await app.getByTestId('conn-name').fill('Acme platform');
    await app.getByTestId('conn-url').fill(baseUrl);
    await app.getByTestId('conn-key').fill(`${adminKey.slice(0, -1)}${adminKey.endsWith('A') ? 'B' : 'A'}`);
    await app.getByTestId('conn-test').click();
    await expect(app.getByTestId('conn-result')).toContainText('refused this API key (401)');
    await app.getByTestId('conn-url').fill('http://127.0.0.1:9');
    await app.getByTestId('conn-key').fill(adminKey);
    await app.getByTestId('conn-test').click();
    await expect(app.getByTestId('conn-result')).toContainText('Cannot reach the platform at http://127.0.0.1:9');
    await app.getByTestId('conn-url').fill(baseUrl);
    await app.getByTestId('conn-test').click();
    await expect(app.getByTestId('conn-result')).toContainText('Connected: the key belongs to “Acme platform”');
    await app.getByTestId('conn-save').click();

    await expect(app.getByTestId('connection-badge')).toHaveText('Remote');
    await expect(app.getByTestId('key-row')).toHaveCount(3);
    await showAccounts(app);
    await expect(app.getByTestId('account-node')).toHaveCount(2);
    const connections = await harness.app.handlers['connections:list']({});
    const remote = connections.connections.find((c) => c.kind === 'remote');
    expect(secretToolLookup(`connection/${remote?.id}`)).toBe(adminKey); // in the keychain, not the DB

    // An action on the remote platform, reflected at once.
    const fraud = app.getByTestId('key-row').filter({ hasText: 'EU fraud scoring' });
    await fraud.getByRole('button', { name: 'Actions for EU fraud scoring' }).click();
    await app.getByRole('menuitem', { name: 'Revoke…' }).click();
    await app.getByTestId('revoke-confirm').click();
    await expect(fraud.getByTestId('status-badge')).toHaveText('revoked');
    expect((await engine.listKeys(eu.id, { status: 'revoked' })).data.map((k) => k.label)).toEqual([
      'EU fraud scoring',
    ]);

    // The platform goes away: the cached inventory still opens, marked offline.
    await server.close();
    server = null;
    await app.reload();
    await expect(app.getByTestId('offline-banner')).toBeVisible();
    await expect(app.getByTestId('offline-banner')).toContainText('Cannot reach');
    await expect(app.getByTestId('connection-badge')).toHaveText('Offline');
    await expect(app.getByTestId('key-row')).toHaveCount(3);
    await expect(fraud.getByTestId('status-badge')).toHaveText('revoked');
    await expect(app.getByTestId('synced-ago').first()).toHaveText(/^synced (just now|\d+ minutes? ago)$/);
    // What needs the platform is off before the click, and says why: on focus, on hover, in menus.
    await expect(app.getByTestId('create-key')).toBeDisabled();
    await app.getByTestId('create-key').focus();
    await expect(app.getByRole('tooltip')).toContainText('Offline: Cannot reach');
    await app.getByTestId('create-key').click({ force: true }); // a click anyway does nothing
    await expect(app.getByTestId('wizard-label')).toHaveCount(0);
    await shootBothThemes(app, 'remote-offline');
    await fraud.getByRole('button', { name: 'Actions for EU fraud scoring' }).click();
    await expect(app.getByTestId('row-menu-why')).toContainText('This needs the platform.');
    await expect(app.getByRole('menuitem', { name: 'Reactivate' })).toBeDisabled();
    await app.keyboard.press('Escape');

    // The cached copy audits and exports while offline, like any other inventory.
    await app.getByTestId('nav-audit').click();
    await expect(app.getByTestId('audit-source')).toContainText('offline: the cached copy');
    await app.getByTestId('export').click();
    const downloading = app.waitForEvent('download');
    await app.getByTestId('export-json').click();
    const exported = JSON.parse(readFileSync((await (await downloading).path()) as string, 'utf8'));
    expect(exported.source).toMatchObject({ kind: 'remote', base_url: expect.stringContaining('127.0.0.1') });
    expect(exported.keys.map((k: { label: string }) => k.label).sort()).toEqual([
      'EU checkout service',
      'EU fraud scoring',
      'Keyhold desktop admin',
    ]);
    expect(exported.keys.find((k: { label: string }) => k.label === 'EU fraud scoring').status).toBe('revoked');
    await app.getByTestId('nav-keys').click();

    // Back to the embedded platform: its own (empty) inventory.
    await app.getByTestId('connection-select').selectOption({ label: 'This computer (embedded)' });
    await expect(app.getByTestId('keys-empty')).toBeVisible();
  } finally {
    await server?.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a sync never shows fewer keys than the window had: pages land as they come, changes apply in place', async ({
  app,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-remote-sync-'));
  const engine = openSqliteEngine(join(dir, 'platform.db'));
  const root = await engine.ensureRootAccount('Acme platform');
  const adminKey = (await engine.createKey(root.id, { label: 'Keyhold desktop admin' }, { kind: 'system' })).secret;
  // Three pages of the change feed (5,000 keys a page).
  const made: string[] = [];
  await (engine.store as SqliteStore).batch(async () => {
    for (let i = 0; i < 12_000; i++)
      made.push((await engine.createKey(root.id, { label: `worker ${i}` }, { kind: 'system' })).key.id);
  });
  const server = await buildServer({ engine, log: () => {} });
  await server.listen({ host: '127.0.0.1', port: 0 });
  try {
    // Every total the key count shows.
    await app.evaluate(() => {
      const seen = { totals: [] as number[] };
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="keys-count"]')?.textContent ?? '';
        const total = Number(/of ([\d,]+) keys/.exec(text)?.[1]?.replaceAll(',', '') ?? Number.NaN);
        if (!Number.isNaN(total) && seen.totals.at(-1) !== total) seen.totals.push(total);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const seen = () => app.evaluate(() => (window as unknown as { seen: { totals: number[] } }).seen);
    await app.getByTestId('add-connection').click();
    await app.getByTestId('conn-name').fill('Acme platform');
    await app.getByTestId('conn-url').fill(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}`);
    await app.getByTestId('conn-key').fill(adminKey);
    await app.getByTestId('conn-test').click();
    await expect(app.getByTestId('conn-result')).toContainText('Connected');
    // The platform holds its answer until the dialog is gone: a dialog that waited for the sync never closes.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const read = engine.keyChanges.bind(engine);
    engine.keyChanges = async (accountId, input) => {
      await held;
      return read(accountId, input);
    };
    await app.getByTestId('conn-save').click();
    await expect(app.getByTestId('conn-save')).toHaveCount(0);
    await expect(app.getByTestId('sync-progress')).toContainText('asking what changed');
    await expect(app.getByTestId('keys-count')).toHaveCount(0); // no "0 of 0 keys" while the first keys are on their way
    await app.evaluate(() => {
      (window as unknown as { seen: { totals: number[] } }).seen.totals = []; // the embedded platform's count before
    });
    release();
    await expect(app.getByTestId('keys-count')).toHaveText('12,001 of 12,001 keys');
    await expect(app.getByTestId('sync-progress')).toHaveCount(0);
    expect((await seen()).totals).toEqual([5000, 10_000, 12_001]); // page by page, never down, never "0 of 0"

    // On the platform: two deleted, three made, one renamed; then a sync applies just that.
    await engine.deleteKey(null, made[0] as string, { kind: 'system' });
    await engine.deleteKey(null, made[1] as string, { kind: 'system' });
    for (let i = 0; i < 3; i++) await engine.createKey(root.id, { label: `late worker ${i}` }, { kind: 'system' });
    await engine.updateKey(null, made[2] as string, { label: 'renamed on the platform' }, { kind: 'system' });
    await app.getByTestId('sync').click();
    await expect(app.getByTestId('keys-count')).toHaveText('12,002 of 12,002 keys');
    await expect(app.getByTestId('sync-progress')).toHaveCount(0);
    expect((await seen()).totals).toEqual([5000, 10_000, 12_001, 12_002]);
    await app.getByTestId('search').fill('renamed on the platform');
    await expect(app.getByTestId('key-row')).toHaveCount(1);
  } finally {
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
