// Scan findings as SARIF 2.1.0, the format GitHub code scanning uploads
// (github/codeql-action/upload-sarif): one rule per kind of finding, one result per place, within
// GitHub's documented rules. URIs are relative to the repository root (%SRCROOT%) and
// percent-encoded; a result's fingerprint tells two copies of a key in one file apart; at most
// 25,000 results (GitHub refuses more), the rest counted in a notification; a history copy names
// its commit (a message's copy is a logical location: no file holds it); lookalikes only on request.
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

/** GitHub code scanning takes at most this many results a run. */
export const MAX_SARIF_RESULTS = 25_000;

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
    help: 'Remove it from git (`git rm --cached FILE`) and list it in `.gitignore`.',
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
const RULE_INDEX = new Map<string, number>(RULES.map((rule, i) => [rule.id, i]));

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

export interface SarifOptions {
  /** The path a finding names (relative to where the scan ran) as a path from the repository root. */
  fromRoot?: (path: string) => string;
  /** Lookalikes as `note` results (off: they are noise in code scanning). */
  lookalikes?: boolean;
  /** The paths the scan did not read, as notifications of the run. */
  skipped?: SkippedPath[];
}

export function toSarif(findings: ScanFinding[], version: string, options: SarifOptions = {}): Record<string, unknown> {
  const fromRoot = options.fromRoot ?? ((path: string) => path);
  const physical = (path: string, line?: number, column?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: sarifUri(fromRoot(path)), uriBaseId: '%SRCROOT%' },
      region: { startLine: line ?? 1, ...(column ? { startColumn: column } : {}) },
    },
  });
  const results: Record<string, unknown>[] = [];
  for (const finding of findings) {
    if (finding.kind === 'lookalike' && !options.lookalikes) continue;
    const ruleId = ruleOf(finding);
    const base = { ruleId, ruleIndex: RULE_INDEX.get(ruleId), level: LEVEL[finding.severity] };
    if (finding.kind === 'exposed_file') {
      const state = finding.state === 'tracked' ? 'is tracked by git' : 'is not covered by .gitignore';
      results.push({
        ...base,
        message: { text: `${finding.path} ${state}.` },
        locations: [physical(finding.path)],
        partialFingerprints: { 'keyholdExposedFile/v1': `${fromRoot(finding.path)}:${finding.state}` },
      });
      continue;
    }
    const text = finding.kind === 'key' ? describeKey(finding) : `${finding.partial_key}… fails the key checksum`;
    // Two copies of a key in one file (at one commit) are told apart by their order there: a
    // fingerprint that survives lines moved above them.
    const seen = new Map<string, number>();
    const ordered = [...finding.locations].sort((a, b) => a.line - b.line || a.column - b.column);
    for (const location of ordered) {
      const place = `${location.origin}:${fromRoot(location.path)}:${location.commit ?? ''}:${location.message ?? ''}`;
      const nth = (seen.get(place) ?? 0) + 1;
      seen.set(place, nth);
      const inMessage = location.message !== null;
      results.push({
        ...base,
        message: { text: `${text}.${where(location)}` },
        // A message is in no file: its place is the commit (or tag) itself.
        locations: inMessage
          ? [
              {
                logicalLocations: [
                  { name: historyPlace(location), fullyQualifiedName: location.commit, kind: 'resource' },
                ],
              },
            ]
          : [physical(location.path, location.line, location.column)],
        partialFingerprints: { 'keyholdKey/v2': `${finding.partial_key}:${place}:${nth}` },
        ...(location.origin === 'history'
          ? { properties: { commit: location.commit, author_date: location.author_date, refs: location.refs } }
          : {}),
      });
    }
  }
  const dropped = Math.max(0, results.length - MAX_SARIF_RESULTS);
  const notifications = (options.skipped ?? []).map(({ path, reason }) => ({
    level: 'note',
    message: { text: `Not read: ${path} is ${SKIP_REASON_TEXT[reason]}.` },
    locations: [physical(path)],
    descriptor: { id: `keyhold/skipped/${reason}` },
  }));
  if (dropped > 0) {
    notifications.unshift({
      level: 'warning',
      message: {
        text: `${dropped} more results than code scanning takes (${MAX_SARIF_RESULTS} a run) are left out: the most severe are kept; run keyhold scan --json for all.`,
      },
      locations: [],
      descriptor: { id: 'keyhold/results-capped' },
    });
  }
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
              help: { text: help.replace(/`/g, ''), markdown: `**${text}.** ${help}` },
              defaultConfiguration: {
                level: id === 'keyhold/lookalike' ? 'note' : id === 'keyhold/active-key' ? 'error' : 'warning',
              },
              properties: { tags: ['security', 'secrets'], 'security-severity': severity, precision: 'very-high' },
            })),
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        // Findings come most severe first: a capped run keeps those.
        results: results.slice(0, MAX_SARIF_RESULTS),
      },
    ],
  };
}
