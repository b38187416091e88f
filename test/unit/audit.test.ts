import { describe, expect, it } from 'vitest';
import {
  type AuditInventory,
  audit,
  DEFAULT_AUDIT_POLICY,
  environmentFromLabel,
  reaches,
  summarize,
} from '../../src/shared/audit';
import type { Account, ApiKey } from '../../src/shared/domain';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:30Z'); // just past midnight UTC
const at = (deltaDays: number) => new Date(NOW + deltaDays * DAY).toISOString();

const root: Account = {
  id: 'acc_root',
  name: 'Root',
  parent_id: null,
  status: 'active',
  created_at: at(-400),
  updated_at: at(-400),
};
const leaf: Account = {
  id: 'acc_leaf',
  name: 'Leaf',
  parent_id: 'acc_root',
  status: 'active',
  created_at: at(-400),
  updated_at: at(-400),
};

let n = 0;
function key(patch: Partial<ApiKey>): ApiKey {
  n++;
  return {
    id: `key_${n}`,
    account_id: leaf.id,
    label: `Billing worker ${n}`,
    partial_key: `sk-0000000${n % 10}`,
    status: 'active',
    created_at: at(-1),
    updated_at: at(-1),
    last_used_at: at(-1),
    expires_at: at(60),
    revoked_at: null,
    ...patch,
  };
}

const run = (keys: ApiKey[], extra: Partial<AuditInventory> = {}) =>
  audit({ accounts: [root, leaf], keys, ...extra }, DEFAULT_AUDIT_POLICY, NOW);
const rules = (keys: ApiKey[], extra: Partial<AuditInventory> = {}) => run(keys, extra).map((f) => f.rule);

describe('audit rules', () => {
  it('a healthy key has no finding', () => {
    expect(run([key({})])).toEqual([]);
  });

  it('never used: only once created more than 7 days ago, and a key without any use', () => {
    expect(rules([key({ last_used_at: null, created_at: at(-7) })])).toEqual([]);
    const [finding] = run([key({ last_used_at: null, created_at: at(-7.001) })]);
    expect(finding).toMatchObject({ rule: 'never_used', severity: 'warning', action: 'delete' });
  });

  it('unused after 90 days without a call', () => {
    expect(rules([key({ last_used_at: at(-90) })])).toEqual([]);
    expect(run([key({ last_used_at: at(-91) })])[0]).toMatchObject({ rule: 'unused', action: 'revoke' });
  });

  it('expiring within 7 days (exactly 7 included), critical on the last day; expired afterwards', () => {
    expect(rules([key({ expires_at: at(7.001) })])).toEqual([]);
    expect(run([key({ expires_at: at(7) })])[0]).toMatchObject({
      rule: 'expiring',
      severity: 'warning',
      action: 'rotate',
    });
    expect(run([key({ expires_at: at(0.5) })])[0]).toMatchObject({ rule: 'expiring', severity: 'critical' });
    expect(run([key({ status: 'expired', expires_at: at(-0.0001) })])[0]).toMatchObject({
      rule: 'expired',
      action: 'delete',
    });
  });

  it('no expiration: a production key (warning) and any parent-account key (critical)', () => {
    expect(run([key({ label: 'Prod checkout', expires_at: null })])[0]).toMatchObject({
      rule: 'no_expiration_production',
      severity: 'warning',
    });
    expect(run([key({ label: 'Reporting export', expires_at: null, account_id: root.id })])[0]).toMatchObject({
      rule: 'no_expiration_parent',
      severity: 'critical',
    });
    expect(rules([key({ label: 'Reporting export', expires_at: null })])).toEqual([]);
  });

  it('rotation overdue by environment: production 90, staging 180, development 365 days', () => {
    expect(rules([key({ label: 'production api', created_at: at(-90) })])).toEqual([]);
    expect(rules([key({ label: 'production api', created_at: at(-91) })])).toEqual(['rotation_overdue']);
    expect(rules([key({ label: 'stage runner', created_at: at(-181) })])).toEqual(['rotation_overdue']);
    expect(rules([key({ label: 'dev laptop', created_at: at(-364) })])).toEqual([]);
    expect(rules([key({ label: 'dev laptop', created_at: at(-366) })])).toEqual(['rotation_overdue']);
    const manual = key({ label: 'Checkout', created_at: at(-100) });
    expect(rules([manual], { environments: { [manual.id]: 'production' } })).toEqual(['rotation_overdue']);
  });

  it('vague and duplicate labels', () => {
    for (const label of ['Test', 'API Key 1', 'My Key', 'New Key', 'abc']) {
      expect(rules([key({ label })])).toContain('vague_label');
    }
    const twins = rules([
      key({ label: 'Checkout' }),
      key({ label: ' checkout ' }),
      key({ label: 'Checkout', account_id: root.id }),
    ]);
    expect(twins.filter((rule) => rule === 'duplicate_label')).toHaveLength(2);
  });

  it('revoked more than 30 days ago', () => {
    expect(rules([key({ status: 'revoked', revoked_at: at(-30) })])).toEqual([]);
    expect(run([key({ status: 'revoked', revoked_at: at(-31), last_used_at: null, created_at: at(-90) })])).toEqual([
      expect.objectContaining({ rule: 'revoked_stale', severity: 'info', action: 'delete' }),
    ]);
  });

  it('too many keys in an account', () => {
    const many = Array.from({ length: 16 }, () => key({}));
    expect(run(many).filter((f) => f.rule === 'too_many_keys')).toEqual([
      expect.objectContaining({ key_id: null, account_id: leaf.id, severity: 'warning', action: 'review' }),
    ]);
    expect(rules(many.slice(1))).not.toContain('too_many_keys');
  });

  it('every number comes from the policy', () => {
    const strict = { ...DEFAULT_AUDIT_POLICY, unusedDays: 10, maxKeysPerAccount: 1 };
    const findings = audit({ accounts: [root, leaf], keys: [key({ last_used_at: at(-11) }), key({})] }, strict, NOW);
    expect(findings.map((f) => f.rule).sort()).toEqual(['too_many_keys', 'unused']);
  });
});

describe('helpers', () => {
  it('reads the environment from the label', () => {
    expect(environmentFromLabel('EU prod billing')).toBe('production');
    expect(environmentFromLabel('Staging CI')).toBe('staging');
    expect(environmentFromLabel('integration test runner')).toBe('development');
    expect(environmentFromLabel('Reporting')).toBeNull();
    expect(environmentFromLabel('products sync')).toBeNull();
  });

  it('summarizes and compares against a threshold', () => {
    const findings = run([key({ label: 'Test' }), key({ expires_at: at(0.5) })]);
    expect(summarize(findings)).toEqual({ info: 1, warning: 0, critical: 1 });
    expect(reaches(findings, 'critical')).toBe(true);
    expect(reaches(run([key({ label: 'Test' })]), 'warning')).toBe(false);
  });
});
