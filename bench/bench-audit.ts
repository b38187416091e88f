// npm run bench:audit — the audit engine over 100,000 keys and over 1,000 keys in one run.
// Last line: RESULT audit_100k_ms=<x> audit_100k_vs_1k=<y> (targets: under 100 ms; at most 150).
import { audit, DEFAULT_AUDIT_POLICY } from '../src/shared/audit';
import type { Account, ApiKey } from '../src/shared/domain';

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

function inventory(count: number): { accounts: Account[]; keys: ApiKey[] } {
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
  }));
  return { accounts, keys };
}

function timeOf(data: ReturnType<typeof inventory>, runs: number): { ms: number; findings: number } {
  let findings = 0;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    findings = audit(data, DEFAULT_AUDIT_POLICY, NOW).length;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] as number, findings };
}

const small = inventory(1_000);
const large = inventory(100_000);
timeOf(small, 50); // warm up the JIT on both sizes
timeOf(large, 3);
const s = timeOf(small, 101);
const l = timeOf(large, 15);
console.log(`1,000 keys     ${s.ms.toFixed(2)} ms (median of 101), ${s.findings} findings`);
console.log(`100,000 keys   ${l.ms.toFixed(1)} ms (median of 15), ${l.findings} findings`);
console.log(`RESULT audit_100k_ms=${l.ms.toFixed(1)} audit_100k_vs_1k=${(l.ms / s.ms).toFixed(1)}`);
