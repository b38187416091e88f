// Launches the real Electron app. Needs the Electron binary, which cannot be downloaded on every
// machine; where it is missing the test is skipped and says why.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { electronBinary } from '../../scripts/electron-binary';
import { openSqliteEngine } from '../../src/platform/store/sqlite/open-engine';

const binary = electronBinary();
const skipReason = 'missing' in binary ? `Electron e2e skipped: ${binary.missing}.` : null;
if (skipReason) console.log(skipReason);

test.describe('Electron app', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  test('opens one sandboxed window showing the shell and answers app:info', async () => {
    if ('missing' in binary) return;
    const userData = mkdtempSync(join(tmpdir(), 'keyhold-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [resolve(__dirname, '../../out/main/index.js'), `--user-data-dir=${userData}`, '--no-sandbox'],
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();
      // Sandboxed and isolated: no Node in the page, only the contract.
      const surface = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        keyhold: Object.keys(window.keyhold).sort(),
      }));
      expect(surface).toEqual({
        require: 'undefined',
        process: 'undefined',
        keyhold: ['app', 'audit', 'connections', 'inventory', 'keys', 'on', 'secrets'],
      });
      const info = await page.evaluate(() => window.keyhold.app.info());
      expect(info).toMatchObject({ ok: true, data: { host: 'electron' } });
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    } finally {
      await app.close();
    }
  });

  test('checks expiries at start: the count in the title, the notice recorded for the day', async () => {
    if ('missing' in binary) return;
    const userData = mkdtempSync(join(tmpdir(), 'keyhold-electron-'));
    const engine = openSqliteEngine(join(userData, 'platform.db'));
    const root = await engine.ensureRootAccount();
    const due = (
      await engine.createKey(
        root.id,
        { label: 'Nightly export', expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString() },
        { kind: 'system' },
      )
    ).key;
    await engine.close();
    const app = await electron.launch({
      executablePath: binary.path,
      args: [resolve(__dirname, '../../out/main/index.js'), `--user-data-dir=${userData}`, '--no-sandbox'],
    });
    try {
      const page = await app.firstWindow();
      await expect(page).toHaveTitle('Keyhold — 1 key expires soon');
    } finally {
      await app.close();
    }
    // Recorded for today (UTC): a restart the same day does not show it again.
    const state = new Database(join(userData, 'app-state.db'), { readonly: true });
    expect(state.prepare('SELECT key_id FROM expiry_notices').pluck().all()).toEqual([due.id]);
    state.close();
  });
});
