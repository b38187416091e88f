// Importing a large inventory file: read in a worker thread (the main process's event loop keeps
// running meanwhile), with progress events for the window, and the file's mistakes still named.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableKeychain } from '../../../src/keychain/keychain';
import { createApp, type KeyholdApp } from '../../../src/main/app/create-app';
import { audit, DEFAULT_AUDIT_POLICY } from '../../../src/shared/audit';
import type { EventPayload } from '../../../src/shared/ipc/contract';
import { toCsvExport } from '../../../src/shared/report/inventory-file';
import { testAppInfo } from '../../support/app-info';
import { syntheticInventory } from '../../support/synthetic-inventory';

let dir: string;
let app: KeyholdApp;
const progress: Array<EventPayload<'import:progress'>> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-import-'));
  progress.length = 0;
  app = await createApp({
    info: testAppInfo(dir),
    log: () => {},
    keychain: new UnavailableKeychain('not needed here'),
    clipboard: { readText: async () => '', writeText: async () => {}, clear: () => {} },
    emit: (event, payload) => {
      if (event === 'import:progress') progress.push(payload as EventPayload<'import:progress'>);
    },
    userName: 'tester',
  });
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function bigCsv(rows: number): string {
  const snapshot = syntheticInventory({ keys: rows });
  return toCsvExport(snapshot, audit(snapshot, DEFAULT_AUDIT_POLICY, Date.parse(snapshot.exported_at)));
}

describe('importing an inventory file', () => {
  it('reads it off the event loop, reporting rows read as it goes', async () => {
    const content = bigCsv(30_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const info = await app.handlers['connections:import']({ file_name: 'big.csv', content });
    clearInterval(timer);
    expect(info.kind).toBe('imported');
    expect(ticks).toBeGreaterThan(0); // a synchronous read would have held every timer until it returned
    expect(progress.map((p) => p.done)).toEqual([0, 5000, 10_000, 15_000, 20_000, 25_000]);
    expect(progress.every((p) => p.total === 30_000 && p.file_name === 'big.csv')).toBe(true);
    const head = await app.handlers['inventory:load']({});
    expect(head.accounts).toHaveLength(30_000);
  }, 60_000);

  it('still names the file and the line at fault', async () => {
    await expect(
      app.handlers['connections:import']({ file_name: 'broken.csv', content: 'name,value\n1,2\n' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^content: broken\.csv: not a Keyhold CSV/),
    });
  });
});
