// `keyhold audit --json` on a large inventory: the report is written in pieces (a million keys'
// findings do not fit in one string), and the pieces make the same JSON document.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/keyhold';
import { audit, DEFAULT_AUDIT_POLICY } from '../../../src/shared/audit';
import { toJsonExport } from '../../../src/shared/report/inventory-file';
import { syntheticInventory } from '../../support/synthetic-inventory';

const dir = mkdtempSync(join(tmpdir(), 'keyhold-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keyhold audit --json', () => {
  it('streams the findings in bounded pieces that parse back whole', async () => {
    const snapshot = syntheticInventory({
      keys: 100_000,
      accountPerKey: false,
      label: (i) => (i % 10 === 0 ? 'Test' : `Worker ${i}`),
      at: '2025-01-01T00:00:00.000Z',
    });
    const now = Date.parse('2026-06-01T00:00:00Z');
    const file = join(dir, 'big.json');
    writeFileSync(file, toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, audit(snapshot, DEFAULT_AUDIT_POLICY, now)));

    const pieces: string[] = [];
    const code = await main(['audit', '--file', file, '--json'], now, (text) => {
      pieces.push(text);
    });
    expect(code).toBe(0);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(1_000_000);
    const report = JSON.parse(pieces.join(''));
    expect(report.findings).toHaveLength(audit(snapshot, DEFAULT_AUDIT_POLICY, now).length);
    expect(report.findings[0]).toEqual(
      expect.objectContaining({ rule: expect.any(String), key_id: snapshot.keys[0]?.id }),
    );
    expect(report.keys).toBe(100_000);
  }, 60_000);
});
