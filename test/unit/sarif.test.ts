// The leak scan's SARIF within code scanning's rules: valid against the schema, results capped at
// 25,000 with the rest counted, two copies of a key in one file told apart, lookalikes only on
// request, a column in UTF-16 code units, paths from the repository root, a history copy's commit.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyHitsIn } from '../../src/scan/key-hits';
import { generateKey } from '../../src/shared/key-format';
import { classifyHits, type RawKeyHit } from '../../src/shared/scan/findings';
import { MAX_SARIF_RESULTS, toSarif } from '../../src/shared/scan/sarif';
import { expectCodeScanningSarif } from '../support/sarif';

const hit = (
  publicId: string,
  valid: boolean,
  path: string,
  line: number,
  more: Partial<RawKeyHit> = {},
): RawKeyHit => ({
  publicId,
  valid,
  origin: 'file',
  path,
  line,
  column: 1,
  encoding: null,
  commit: null,
  author_date: null,
  refs: null,
  on_default_branch: null,
  in_default_tip: null,
  removed_in: null,
  message: null,
  ...more,
});

type Run = {
  results: Array<{
    ruleId: string;
    partialFingerprints: Record<string, string>;
    locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startColumn?: number } } }>;
    properties?: { commit: string };
  }>;
  invocations: Array<{ toolExecutionNotifications: Array<{ descriptor: { id: string }; message: { text: string } }> }>;
};
const runOf = (log: Record<string, unknown>) => (log.runs as Run[])[0] as Run;

describe('SARIF for code scanning', () => {
  it('tells two copies of a key in one file apart, leaves lookalikes out unless asked, names a history commit', () => {
    const findings = classifyHits(
      [
        hit('0000aaaa', true, 'src/a.ts', 3),
        hit('0000aaaa', true, 'src/a.ts', 9),
        hit('0000aaaa', true, 'src/a.ts', 3, {
          origin: 'history',
          commit: 'f'.repeat(40),
          author_date: '2026-01-01T00:00:00Z',
          refs: ['main'],
          on_default_branch: true,
        }),
        hit('1111bbbb', false, 'test/fixture.ts', 1),
      ],
      new Map(),
      [{ path: '.env', state: 'tracked' }],
    );
    const sarif = toSarif(findings, '0.1.0', { fromRoot: (path) => `app/${path}` });
    expectCodeScanningSarif(JSON.stringify(sarif));
    const { results } = runOf(sarif);
    expect(results.map((r) => r.ruleId).sort()).toEqual([
      'keyhold/exposed-secret-file',
      'keyhold/unknown-key',
      'keyhold/unknown-key',
      'keyhold/unknown-key',
    ]);
    expect(results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri)).toContain('app/src/a.ts');
    expect(results.find((r) => r.properties)?.properties?.commit).toBe('f'.repeat(40));
    const withLookalikes = runOf(toSarif(findings, '0.1.0', { lookalikes: true })).results;
    expect(withLookalikes.map((r) => r.ruleId)).toContain('keyhold/lookalike');
  });

  it('keeps at most 25,000 results, the most severe, and counts the rest in a notification', () => {
    const hits = Array.from({ length: MAX_SARIF_RESULTS + 10 }, (_, i) => hit('2222cccc', true, `f${i}.txt`, 1));
    const sarif = toSarif(classifyHits(hits, new Map()), '0.1.0');
    expectCodeScanningSarif(JSON.stringify(sarif));
    const run = runOf(sarif);
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    const capped = run.invocations[0]?.toolExecutionNotifications.find(
      (n) => n.descriptor.id === 'keyhold/results-capped',
    );
    expect(capped?.message.text).toMatch(/^10 more results/);
  });

  it('gives the column in UTF-16 code units, as SARIF counts', () => {
    const key = generateKey('3333dddd', randomBytes);
    const [found] = keyHitsIn(Buffer.from(`é🚀 ${key}\n`));
    expect(found?.column).toBe(5); // é is 1 unit, 🚀 2, the space 1: the key starts at the 5th
    const sarif = toSarif(
      classifyHits([hit('3333dddd', true, 'a.txt', 1, { column: found?.column ?? 0 })], new Map()),
      '0.1.0',
    );
    expect(runOf(sarif).results[0]?.locations[0]?.physicalLocation.region.startColumn).toBe(5);
  });
});
