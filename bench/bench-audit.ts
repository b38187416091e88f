// npm run bench:audit — the audit engine over 100,000 keys and over 1,000 keys in one run, bundled
// as the window runs it (under tsx every call between modules goes through a getter).
// Last line: RESULT audit_100k_ms=<x> audit_100k_vs_1k=<y> (targets: under 100 ms; at most 150).
import { audit, DEFAULT_AUDIT_POLICY } from '../src/shared/audit';
import type { Account, ApiKey } from '../src/shared/domain';
import type { KeyUse } from '../src/shared/request-log';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const LABELS = [
  'Production billing worker',
  'staging deploys',
  'dev laptop',
  'Test',
  'Reporting export',
  'prod search',
];

function inventory(count: number): { accounts: Account[]; keys: ApiKey[]; key_use: KeyUse[] } {
  const stamp = (days: number) => new Date(NOW - days * DAY).toISOString();
  const accounts: Account[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `acc_${i}`,
    name: `Account ${i}`,
    parent_id: i === 0 ? null : `acc_${Math.floor((i - 1) / 40)}`,
    status: 'active',
    created_at: stamp(900),
    updated_at: stamp(900),
  }));
  const keys: ApiKey[] = Array.from({ length: count }, (_, i) => ({
    id: `key_${i}`,
    account_id: `acc_${i % 1000}`,
    label: `${LABELS[i % LABELS.length]} ${i % 7 === 0 ? '' : i}`,
    partial_key: `sk-${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`,
    status: i % 11 === 0 ? 'revoked' : 'active',
    created_at: stamp(i % 500),
    updated_at: stamp(i % 300),
    last_used_at: i % 5 === 0 ? null : stamp(i % 200),
    expires_at: i % 3 === 0 ? null : stamp(-(i % 400) + 30),
    revoked_at: i % 11 === 0 ? stamp(i % 90) : null,
    deletes_at: null,
  }));
  // One key in four has a logged use (the activity rules read it): some new sources, some crowds,
  // some revoked keys still presented.
  const key_use: KeyUse[] = keys
    .filter((_, i) => i % 4 === 0)
    .map((key, n) => ({
      key_id: key.id,
      first_source_at: stamp((n % 200) + 30),
      newest_source_at: stamp(n % 20),
      recent_sources: n % 13,
      refused_attempts: key.status === 'revoked' ? n % 7 : 0,
    }));
  return { accounts, keys, key_use };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Milliseconds per audit, averaged over `runs` audits in a row (a batch is steadier than one tiny run). */
function batch(data: ReturnType<typeof inventory>, runs: number): { ms: number; findings: number } {
  let findings = 0;
  const start = performance.now();
  for (let i = 0; i < runs; i++) findings = audit(data, DEFAULT_AUDIT_POLICY, NOW).length;
  return { ms: (performance.now() - start) / runs, findings };
}

const small = inventory(1_000);
const large = inventory(100_000);
batch(small, 200); // warm up the JIT on both sizes
batch(large, 3);
// Rounds alternate the two sizes, so both see the same state of the machine; medians of 15 rounds.
const smallMs: number[] = [];
const largeMs: number[] = [];
let findings = { small: 0, large: 0 };
for (let round = 0; round < 15; round++) {
  const s = batch(small, 100);
  const l = batch(large, 1);
  smallMs.push(s.ms);
  largeMs.push(l.ms);
  findings = { small: s.findings, large: l.findings };
}
const s = median(smallMs);
const l = median(largeMs);
console.log(`1,000 keys     ${s.toFixed(3)} ms (median of 15 rounds of 100), ${findings.small} findings`);
console.log(`100,000 keys   ${l.toFixed(1)} ms (median of 15 rounds), ${findings.large} findings`);
console.log(`RESULT audit_100k_ms=${l.toFixed(1)} audit_100k_vs_1k=${(l / s).toFixed(1)}`);
