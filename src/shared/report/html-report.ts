// The printable HTML report: one self-contained file (inline CSS and SVG, no script, nothing
// fetched) with the inventory's shape in charts and its findings grouped by severity and rule.
import { type AuditPolicy, type AuditResult, RULES, type RuleId, SEVERITIES, type Severity } from '../audit';
import { DAY_MS, isoToMs } from '../utc-time';
import type { InventorySnapshot } from './inventory-file';
import { RULE_TITLES } from './rule-titles';

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Rows per group and in the key list: a report of 100,000 keys stays a file a browser can print. */
const ROW_LIMIT = 500;
const KEY_LIST_LIMIT = 2000;

interface Bar {
  label: string;
  value: number;
  color: string;
}

const COLORS = {
  teal: '#0ca678',
  gray: '#868e96',
  red: '#e03131',
  orange: '#f76707',
  blue: '#1c7ed6',
  yellow: '#f59f00',
};

function barChart(id: string, title: string, bars: Bar[]): string {
  const width = 560;
  const height = 220;
  const top = 20;
  const bottom = 40;
  const left = 36;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const step = (width - left) / bars.length;
  const barWidth = Math.min(56, step * 0.7);
  const scale = (value: number) => ((height - top - bottom) * value) / max;
  const body = bars
    .map((bar, i) => {
      const h = scale(bar.value);
      const x = left + i * step + (step - barWidth) / 2;
      const y = height - bottom - h;
      return `<g><title>${escapeHtml(bar.label)}: ${bar.value}</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${bar.color}" rx="2"/><text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="value">${bar.value}</text><text x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" class="axis">${escapeHtml(bar.label)}</text></g>`;
    })
    .join('');
  const axis = `<line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#adb5bd"/>`;
  return `<figure class="chart" data-chart="${id}"><figcaption>${escapeHtml(title)}</figcaption><svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${axis}${body}</svg></figure>`;
}

function statusBars(snapshot: InventorySnapshot): Bar[] {
  const count = (status: string) => snapshot.keys.filter((key) => key.status === status).length;
  return [
    { label: 'active', value: count('active'), color: COLORS.teal },
    { label: 'expired', value: count('expired'), color: COLORS.red },
    { label: 'revoked', value: count('revoked'), color: COLORS.gray },
  ];
}

const AGE_BUCKETS: Array<[string, number]> = [
  ['< 30 d', 30],
  ['30–90 d', 90],
  ['90–180 d', 180],
  ['180–365 d', 365],
  ['1–2 y', 730],
  ['> 2 y', Number.POSITIVE_INFINITY],
];

function ageBars(snapshot: InventorySnapshot, now: number): Bar[] {
  const counts = AGE_BUCKETS.map(() => 0);
  for (const key of snapshot.keys) {
    const age = (now - isoToMs(key.created_at)) / DAY_MS;
    const bucket = AGE_BUCKETS.findIndex(([, limit]) => age < limit);
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  return AGE_BUCKETS.map(([label], i) => ({ label, value: counts[i] as number, color: COLORS.blue }));
}

/** Keys (not revoked) expiring in each of the next 13 weeks: the next 90 days. */
function expiryBars(snapshot: InventorySnapshot, now: number): Bar[] {
  const counts = Array.from({ length: 13 }, () => 0);
  for (const key of snapshot.keys) {
    if (key.expires_at === null || key.status === 'revoked') continue;
    const days = (isoToMs(key.expires_at) - now) / DAY_MS;
    if (days <= 0 || days > 90) continue;
    const week = Math.min(12, Math.floor(days / 7));
    counts[week] = (counts[week] as number) + 1;
  }
  return counts.map((value, week) => ({
    label: `w${week + 1}`,
    value,
    color: week === 0 ? COLORS.red : week < 4 ? COLORS.orange : COLORS.yellow,
  }));
}

function findingSections(result: AuditResult, snapshot: InventorySnapshot): string {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < result.length; i++) {
    const group = `${result.severity(i)}/${result.rule(i)}`;
    groups.set(group, [...(groups.get(group) ?? []), i]);
  }
  const accounts = new Map(snapshot.accounts.map((account) => [account.id, account.name]));
  const sections: string[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    const rules = RULES.filter((rule) => groups.has(`${severity}/${rule}`));
    if (rules.length === 0) continue;
    sections.push(
      `<h3 class="severity ${severity}">${severity} (${rules.reduce((n, rule) => n + (groups.get(`${severity}/${rule}`)?.length ?? 0), 0)})</h3>`,
    );
    for (const rule of rules)
      sections.push(ruleTable(rule, severity, groups.get(`${severity}/${rule}`) ?? [], result, accounts));
  }
  return sections.length > 0 ? sections.join('') : '<p class="none">No findings: the inventory follows the policy.</p>';
}

function ruleTable(
  rule: RuleId,
  severity: Severity,
  indexes: number[],
  result: AuditResult,
  accounts: Map<string, string>,
): string {
  const rows = indexes
    .slice(0, ROW_LIMIT)
    .map((i) => {
      const finding = result.at(i);
      return `<tr><td>${escapeHtml(finding.message)}</td><td>${escapeHtml(accounts.get(finding.account_id) ?? finding.account_id)}</td><td>${finding.action.replace('_', ' ')}</td></tr>`;
    })
    .join('');
  const more =
    indexes.length > ROW_LIMIT
      ? `<p class="more">and ${indexes.length - ROW_LIMIT} more: see the CSV or JSON export.</p>`
      : '';
  return `<section class="rule" data-rule="${rule}" data-severity="${severity}"><h4>${escapeHtml(RULE_TITLES[rule])} <span class="count">${indexes.length}</span></h4><table><thead><tr><th>Finding</th><th>Account</th><th>Suggested action</th></tr></thead><tbody>${rows}</tbody></table>${more}</section>`;
}

function keyList(snapshot: InventorySnapshot): string {
  const accounts = new Map(snapshot.accounts.map((account) => [account.id, account.name]));
  const date = (iso: string | null) => (iso === null ? '—' : iso.slice(0, 10));
  const rows = snapshot.keys
    .slice(0, KEY_LIST_LIMIT)
    .map(
      (key) =>
        `<tr><td>${escapeHtml(key.label)}</td><td><code>${key.partial_key}</code></td><td>${key.status}</td><td>${escapeHtml(accounts.get(key.account_id) ?? key.account_id)}</td><td>${date(key.created_at)}</td><td>${date(key.last_used_at)}</td><td>${date(key.expires_at)}</td></tr>`,
    )
    .join('');
  const more =
    snapshot.keys.length > KEY_LIST_LIMIT
      ? `<p class="more">The first ${KEY_LIST_LIMIT} of ${snapshot.keys.length} keys; the CSV and JSON exports hold them all.</p>`
      : '';
  return `<table class="keys"><thead><tr><th>Label</th><th>Key</th><th>Status</th><th>Account</th><th>Created</th><th>Last used</th><th>Expires</th></tr></thead><tbody>${rows}</tbody></table>${more}`;
}

const STYLE = `
  :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529; }
  body { margin: 32px auto; max-width: 1100px; padding: 0 24px; }
  h1 { margin-bottom: 4px; } .meta { color: #495057; margin-top: 0; }
  .cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
  .card { border: 1px solid #dee2e6; border-radius: 8px; padding: 10px 16px; min-width: 110px; }
  .card b { display: block; font-size: 24px; } .card.critical b { color: #e03131; } .card.warning b { color: #f76707; }
  .charts { display: flex; flex-wrap: wrap; gap: 24px; }
  figure.chart { margin: 0; border: 1px solid #dee2e6; border-radius: 8px; padding: 8px 12px; break-inside: avoid; }
  figcaption { font-weight: 600; margin-bottom: 4px; }
  svg text.axis { font-size: 11px; fill: #495057; } svg text.value { font-size: 11px; fill: #212529; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 13px; }
  th, td { text-align: left; border-bottom: 1px solid #e9ecef; padding: 4px 8px; vertical-align: top; }
  th { background: #f1f3f5; } h3.severity { text-transform: capitalize; margin-top: 28px; }
  h3.critical { color: #e03131; } h3.warning { color: #d9480f; } h3.info { color: #1c7ed6; }
  h4 .count { background: #e9ecef; border-radius: 10px; padding: 0 8px; font-size: 12px; }
  .more, .none { color: #495057; font-style: italic; }
  @media print { body { margin: 0; max-width: none; } section.rule, tr { break-inside: avoid; } th { background: none; } }
`;

export function toHtmlReport(
  snapshot: InventorySnapshot,
  policy: AuditPolicy,
  result: AuditResult,
  now: number,
): string {
  const summary = result.summary();
  const generated = new Date(now).toISOString().replace('T', ' ').slice(0, 16);
  const origin =
    snapshot.source.kind === 'imported'
      ? `imported file, exported ${snapshot.exported_at.slice(0, 10)}`
      : snapshot.source.kind === 'remote'
        ? `${escapeHtml(snapshot.source.base_url ?? '')}, synced ${snapshot.source.synced_at?.replace('T', ' ').slice(0, 16) ?? 'never'} UTC`
        : 'embedded platform';
  const card = (label: string, value: number, className = '') =>
    `<div class="card ${className}"><b>${value}</b>${label}</div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Keyhold report: ${escapeHtml(snapshot.source.name)}</title><style>${STYLE}</style></head>
<body>
<h1>API key inventory: ${escapeHtml(snapshot.source.name)}</h1>
<p class="meta">${origin}. Generated ${generated} UTC by Keyhold. Policy: unused after ${policy.unusedDays} days, expiry notice ${policy.expiringDays} days, rotation ${policy.rotationDays.production}/${policy.rotationDays.staging}/${policy.rotationDays.development} days (production/staging/development), at most ${policy.maxKeysPerAccount} keys per account.</p>
<div class="cards">${card('keys', snapshot.keys.length)}${card('accounts', snapshot.accounts.length)}${card('critical', summary.critical, 'critical')}${card('warnings', summary.warning, 'warning')}${card('notes', summary.info)}</div>
<h2>Shape of the inventory</h2>
<div class="charts">${barChart('status', 'Keys by status', statusBars(snapshot))}${barChart('age', 'Keys by age', ageBars(snapshot, now))}${barChart('expiries', 'Expiries over the next 90 days, by week', expiryBars(snapshot, now))}</div>
<h2>Findings</h2>
${findingSections(result, snapshot)}
<h2>Keys</h2>
${keyList(snapshot)}
</body></html>
`;
}
