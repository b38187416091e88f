// The Audit page's view of an audit: findings grouped by severity and rule, filtered, without
// building a Finding object for any row that is not on screen.
import { type AuditResult, RULES, type RuleId, SEVERITIES, type Severity } from '../../../../shared/audit';

export interface AuditFilter {
  severity: Severity | null;
  rule: RuleId | null;
  /** Lower-case text looked for in the finding's sentence (label, partial key, account...). */
  search: string;
}

export interface FindingGroup {
  severity: Severity;
  rule: RuleId;
  /** Indexes into the AuditResult. */
  findings: number[];
}

/** Groups in the order a person works through them: critical first, then by rule. */
export function groupFindings(result: AuditResult, filter: AuditFilter): FindingGroup[] {
  const needle = filter.search.trim().toLowerCase();
  const groups = new Map<string, FindingGroup>();
  for (let i = 0; i < result.length; i++) {
    const severity = result.severity(i);
    const rule = result.rule(i);
    if (filter.severity !== null && severity !== filter.severity) continue;
    if (filter.rule !== null && rule !== filter.rule) continue;
    if (needle !== '' && !result.at(i).message.toLowerCase().includes(needle)) continue;
    const id = `${severity}/${rule}`;
    let group = groups.get(id);
    if (!group) {
      group = { severity, rule, findings: [] };
      groups.set(id, group);
    }
    group.findings.push(i);
  }
  const rank = (group: FindingGroup) =>
    (SEVERITIES.length - SEVERITIES.indexOf(group.severity)) * 100 + RULES.indexOf(group.rule);
  return [...groups.values()].sort((a, b) => rank(a) - rank(b));
}
