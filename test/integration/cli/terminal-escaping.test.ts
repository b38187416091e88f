// A hostile inventory (a file written elsewhere, or rows older than today's label rules) cannot
// retitle or recolour the terminal: `keyhold audit --file` and `keyhold keys list` print every
// control and bidi character in data as a visible escape.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { audit, DEFAULT_AUDIT_POLICY } from '../../../src/shared/audit';
import { toJsonExport } from '../../../src/shared/report/inventory-file';
import { admin, openTestEngine } from '../../support/engine';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { syntheticInventory } from '../../support/synthetic-inventory';

const f = await openTestEngine();
afterAll(async () => await f.cleanup());

// OSC to retitle the window, a C1 CSI to recolour, a bidi override to disguise a name.
const HOSTILE = 'Billing \u001b]0;pwned\u0007 \u009b31m red \u202etxt.exe';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them in the output is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const run = (args: string[]) => {
  try {
    return execFileSync(KEYHOLD_NODE, keyholdArgs(...args), {
      encoding: 'utf8',
      env: { ...process.env, KEYHOLD_DATA_DIR: f.dir },
    });
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? '');
  }
};

describe('terminal output', () => {
  it('escapes control characters from an inventory file in keyhold audit', async () => {
    const snapshot = syntheticInventory({ keys: 1, label: () => HOSTILE });
    (snapshot.accounts[0] as { name: string }).name = `Team ${HOSTILE}`;
    const file = join(f.dir, 'hostile.json');
    writeFileSync(
      file,
      toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, audit(snapshot, DEFAULT_AUDIT_POLICY, Date.now())),
    );
    const out = run(['audit', '--file', file]);
    expect(out).toContain('Billing \\u{1b}]0;pwned\\u{7} \\u{9b}31m red \\u{202e}txt.exe');
    expect(out).not.toMatch(UNSAFE);
  });

  it('escapes them in keyhold keys list, for rows written before labels refused them', async () => {
    const { key } = await f.engine.createKey(f.rootId, { label: 'Placeholder' }, admin);
    await f.engine.close();
    const db = new Database(f.file);
    db.prepare('UPDATE api_keys SET label = ? WHERE id = ?').run(HOSTILE, key.id);
    db.close();
    await f.reopen();
    const out = run(['keys', 'list', '--db', f.file]);
    expect(out).toContain('\\u{1b}]0;pwned');
    expect(out).not.toMatch(UNSAFE);
  });
});
