// SARIF as code scanning takes it: valid against the OASIS SARIF 2.1.0 schema (the copy the
// @microsoft/jest-sarif package ships, draft-04, validated with ajv's draft-04 class), and within
// GitHub's documented rules for uploads: at most 25,000 results a run, each result's rule and rule
// index agreeing, URIs relative references to the repository root with nothing to escape left raw,
// regions from line 1, one fingerprint per result, and every rule with Markdown help.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;
// The schema's language pattern is not valid with the u flag (a stray bracket): patterns without it.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

interface Result {
  ruleId: string;
  ruleIndex: number;
  locations: Array<{
    physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
  }>;
  partialFingerprints?: Record<string, string>;
}

/** Fails the test with what is wrong when `text` is not SARIF code scanning takes as meant. */
export function expectCodeScanningSarif(text: string): void {
  const log = JSON.parse(text);
  expect(validate(log) ? [] : validate.errors).toEqual([]);
  for (const run of log.runs) {
    const rules = run.tool.driver.rules as Array<{ id: string; help: { markdown?: string } }>;
    for (const rule of rules) expect(rule.help.markdown, rule.id).toBeTruthy();
    const results = run.results as Result[];
    expect(results.length).toBeLessThanOrEqual(25_000);
    const fingerprints = new Set<string>();
    for (const result of results) {
      expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
      for (const fingerprint of Object.values(result.partialFingerprints ?? {})) {
        expect(fingerprints.has(fingerprint), fingerprint).toBe(false);
        fingerprints.add(fingerprint);
      }
      for (const { physicalLocation } of result.locations) {
        if (!physicalLocation) continue;
        const { uri, uriBaseId } = physicalLocation.artifactLocation;
        expect(uriBaseId).toBe('%SRCROOT%');
        // A relative reference that stays under the root, with no raw character a URI cannot hold.
        expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/);
        expect(uri.startsWith('/') || uri.startsWith('../') || /^[a-z][a-z0-9+.-]*:/i.test(uri)).toBe(false);
        expect(physicalLocation.region?.startLine ?? 1).toBeGreaterThanOrEqual(1);
      }
    }
  }
}
