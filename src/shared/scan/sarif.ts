// Scan findings as SARIF 2.1.0, the format GitHub code scanning uploads
// (github/codeql-action/upload-sarif): one rule per kind of finding, one result per place.
import {
  historyPlace,
  historyState,
  type KeyFinding,
  type KeyLocation,
  type ScanFinding,
  type ScanSeverity,
  SKIP_REASON_TEXT,
  type SkippedPath,
} from './findings';

const LEVEL: Record<ScanSeverity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  warning: 'warning',
  info: 'note',
};

const RULES = [
  {
    id: 'keyhold/active-key',
    name: 'ActiveApiKey',
    text: 'An active API key of the platform is in the code or its history',
    help: 'Revoke it, create a replacement, remove the copy (and clean the history), then tell the team.',
    severity: '9.5',
  },
  {
    id: 'keyhold/inactive-key',
    name: 'InactiveApiKey',
    text: 'A revoked or expired API key of the platform is in the code or its history',
    help: 'It no longer works; remove the copy so it is not mistaken for a live one.',
    severity: '5.0',
  },
  {
    id: 'keyhold/unknown-key',
    name: 'UnknownApiKey',
    text: 'A string with a valid key checksum whose public id is not in the inventory',
    help: 'Check it against the platform it came from; revoke it there if it is live.',
    severity: '7.0',
  },
  {
    id: 'keyhold/exposed-secret-file',
    name: 'ExposedSecretFile',
    text: 'A .env, .env.local or *.key file that git tracks or .gitignore does not cover',
    help: 'Remove it from git (git rm --cached) and list it in .gitignore.',
    severity: '5.0',
  },
  {
    id: 'keyhold/lookalike',
    name: 'KeyLookalike',
    text: 'The shape of an API key with a checksum that fails: not a key',
    help: 'Nothing to do; reported so a reviewer knows it was seen and is not a key.',
    severity: '0.0',
  },
] as const;

type RuleId = (typeof RULES)[number]['id'];

function ruleOf(finding: ScanFinding): RuleId {
  if (finding.kind === 'exposed_file') return 'keyhold/exposed-secret-file';
  if (finding.kind === 'lookalike') return 'keyhold/lookalike';
  if (!finding.key) return 'keyhold/unknown-key';
  return finding.key.status === 'active' ? 'keyhold/active-key' : 'keyhold/inactive-key';
}

function describeKey(finding: KeyFinding): string {
  if (!finding.key) return `${finding.partial_key}… is not in the inventory`;
  const { label, account_name, status } = finding.key;
  return `${finding.partial_key}… ("${label}", ${account_name}) is ${status}`;
}

function where(location: KeyLocation): string {
  if (location.origin === 'history') {
    const date = location.author_date ? ` (${location.author_date})` : '';
    return ` In ${historyPlace(location)}${date}, ${historyState(location)}.`;
  }
  return location.origin === 'staged' ? ' Staged for the next commit.' : '';
}

/**
 * A path as a URI reference relative to %SRCROOT%: each segment percent-encoded (a space, `#`, `%`,
 * a bidi override and any other character outside a URI's own are escaped as UTF-8 bytes).
 */
export const sarifUri = (path: string): string =>
  path
    .replace(/\p{Cs}/gu, '\ufffd') // a lone surrogate has no UTF-8 to encode
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');

const physical = (path: string, line?: number, column?: number) => ({
  physicalLocation: {
    artifactLocation: { uri: sarifUri(path), uriBaseId: '%SRCROOT%' },
    ...(line ? { region: { startLine: line, startColumn: column ?? 1 } } : {}),
  },
});

/** Each path the scan did not read, as a notification of the run: what it did not look at is named. */
const skippedNotifications = (skipped: SkippedPath[]) =>
  skipped.map(({ path, reason }) => ({
    level: 'note',
    message: { text: `Not read: ${path} is ${SKIP_REASON_TEXT[reason]}.` },
    locations: [physical(path)],
    descriptor: { id: `keyhold/skipped/${reason}` },
  }));

export function toSarif(
  findings: ScanFinding[],
  version: string,
  skipped: SkippedPath[] = [],
): Record<string, unknown> {
  const results = findings.flatMap((finding) => {
    const ruleId = ruleOf(finding);
    const level = LEVEL[finding.severity];
    if (finding.kind === 'exposed_file') {
      const state = finding.state === 'tracked' ? 'is tracked by git' : 'is not covered by .gitignore';
      return [{ ruleId, level, message: { text: `${finding.path} ${state}.` }, locations: [physical(finding.path)] }];
    }
    const text = finding.kind === 'key' ? describeKey(finding) : `${finding.partial_key}… fails the key checksum`;
    return finding.locations.map((location) => ({
      ruleId,
      level,
      message: { text: `${text}.${where(location)}` },
      locations: [physical(location.path, location.line, location.column)],
      // Stable across runs, so code scanning tracks one alert per key and place.
      partialFingerprints: { 'keyholdKey/v1': `${finding.partial_key}:${location.path}:${location.commit ?? ''}` },
    }));
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyhold scan',
            version,
            rules: RULES.map(({ id, name, text, help, severity }) => ({
              id,
              name,
              shortDescription: { text },
              fullDescription: { text },
              help: { text: help },
              defaultConfiguration: {
                level: id === 'keyhold/lookalike' ? 'note' : id === 'keyhold/active-key' ? 'error' : 'warning',
              },
              properties: { tags: ['security', 'secrets'], 'security-severity': severity, precision: 'very-high' },
            })),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: skippedNotifications(skipped) }],
        results,
      },
    ],
  };
}
