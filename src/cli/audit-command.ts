import { parseArgs } from 'node:util';
import { audit, RULES, SEVERITIES, type Severity } from '../shared/audit';
import { RULE_TITLES } from '../shared/report/rule-titles';
import { toSafeJson } from '../shared/text-rules';
import { DAY_MS } from '../shared/utc-time';
import { readPolicyFile } from './policy-file';
import { loadSnapshot } from './sources';
import { forTerminal } from './terminal';
import { EXIT, UsageError } from './usage';

export async function auditCommand(args: string[], now: number, out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      url: { type: 'string' },
      file: { type: 'string' },
      json: { type: 'boolean', default: false },
      'fail-on': { type: 'string' },
      policy: { type: 'string' },
    },
    strict: true,
  });
  const threshold = values['fail-on'];
  if (threshold !== undefined && threshold !== 'warning' && threshold !== 'critical') {
    throw new UsageError(`--fail-on must be warning or critical, got "${threshold}"`);
  }
  const policy = readPolicyFile(values.policy);
  const snapshot = await loadSnapshot(values, now, now - policy.recentUseDays * DAY_MS);
  const result = audit(snapshot, policy, now);
  const failed = threshold !== undefined && result.reaches(threshold as Severity);
  const summary = result.summary();

  if (values.json) {
    // Streamed: the findings of a million keys are far more than one string may hold.
    const head = toSafeJson(
      {
        source: snapshot.source,
        audited_at: new Date(now).toISOString(),
        keys: snapshot.keys.length,
        accounts: snapshot.accounts.length,
        policy,
        summary,
        fail_on: threshold ?? null,
        failed,
        findings: [],
      },
      2,
    );
    out(`${head.slice(0, head.lastIndexOf('[]'))}[`);
    const CHUNK = 1000;
    for (let start = 0; start < result.length; start += CHUNK) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(start + CHUNK, result.length); i++) {
        lines.push(`${i === 0 ? '' : ','}\n    ${toSafeJson(result.at(i))}`);
      }
      out(lines.join(''));
    }
    out(`${result.length > 0 ? '\n  ' : ''}]\n}\n`);
  } else {
    const lines = [
      `Audited ${snapshot.keys.length} keys in ${snapshot.accounts.length} accounts of ${snapshot.source.name} at ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      `${summary.critical} critical, ${summary.warning} warnings, ${summary.info} notes.`,
    ];
    for (const severity of [...SEVERITIES].reverse()) {
      const indexes = Array.from({ length: result.length }, (_, i) => i).filter((i) => result.severity(i) === severity);
      if (indexes.length === 0) continue;
      lines.push('', severity.toUpperCase());
      for (const rule of RULES) {
        const ofRule = indexes.filter((i) => result.rule(i) === rule);
        if (ofRule.length === 0) continue;
        lines.push(`  ${RULE_TITLES[rule]} (${ofRule.length})`);
        for (const i of ofRule) {
          const finding = result.at(i);
          lines.push(`    ${finding.message} -> ${finding.action.replace('_', ' ')}`);
        }
      }
    }
    if (threshold !== undefined)
      lines.push(
        '',
        failed ? `Failed: findings at or above ${threshold}.` : `Passed: nothing at or above ${threshold}.`,
      );
    // Labels, names and the source come from the inventory, perhaps a file written elsewhere.
    out(`${lines.map(forTerminal).join('\n')}\n`);
  }
  return failed ? EXIT.failed : EXIT.ok;
}
