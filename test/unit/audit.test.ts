import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditInventory,
  audit,
  DEFAULT_AUDIT_POLICY,
  environmentFromLabel,
  ruleBit,
} from '../../src/shared/audit';
import { firstsByHash } from '../../src/shared/audit/duplicates';
import { planBulk } from '../../src/shared/bulk-plan';
import type { Account, ApiKey } from '../../src/shared/domain';
import { firstLetters, sameLabel, vagueLabelReason } from '../../src/shared/label-rules';
import { isoToMs } from '../../src/shared/utc-time';
import { replacementLabel } from '../../src/shared/workflows';

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
    deletes_at: null,
    ...patch,
  };
}

const run = (keys: ApiKey[], extra: Partial<AuditInventory> = {}) =>
  audit({ accounts: [root, leaf], keys, ...extra }, DEFAULT_AUDIT_POLICY, NOW).toArray();
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
    const findings = audit(
      { accounts: [root, leaf], keys: [key({ last_used_at: at(-11) }), key({})] },
      strict,
      NOW,
    ).toArray();
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

  it('summarizes and compares against a threshold without building findings', () => {
    const result = audit(
      { accounts: [root, leaf], keys: [key({ label: 'Test' }), key({ expires_at: at(0.5) })] },
      DEFAULT_AUDIT_POLICY,
      NOW,
    );
    expect(result.summary()).toEqual({ info: 1, warning: 0, critical: 1 });
    expect(result.reaches('critical')).toBe(true);
    const vagueOnly = audit({ accounts: [root, leaf], keys: [key({ label: 'Test' })] }, DEFAULT_AUDIT_POLICY, NOW);
    expect(vagueOnly.reaches('warning')).toBe(false);
    expect(vagueOnly.reaches('info')).toBe(true);
  });

  it('gives each key its rules as bits, and each finding a sentence', () => {
    const keys = [key({ label: 'Test' }), key({ last_used_at: null, created_at: at(-30) }), key({})];
    const result = audit({ accounts: [root, leaf], keys }, DEFAULT_AUDIT_POLICY, NOW);
    expect(Array.from(result.ruleBitsByKey())).toEqual([ruleBit('vague_label'), ruleBit('never_used'), 0]);
    expect(result.at(1).message).toBe(
      `“${keys[1]?.label}” (${keys[1]?.partial_key}) was created 30 days ago and never used.`,
    );
    expect(JSON.parse(JSON.stringify(result.toArray()))[0]).toEqual({
      rule: 'vague_label',
      severity: 'info',
      key_id: keys[0]?.id,
      account_id: leaf.id,
      message: `“Test” (${keys[0]?.partial_key}): "Test" does not say where the key is used.`,
      action: 'rename',
    });
  });

  it('reads ISO times of other forms, and across leap years and centuries', () => {
    for (const iso of [
      '2024-02-29T23:59:59.999Z',
      '2000-03-01T00:00:00.000Z',
      '1969-12-31T00:00:00.000Z',
      '2100-02-28T12:00:00.000Z',
    ]) {
      expect(isoToMs(iso)).toBe(Date.parse(iso));
    }
    expect(isoToMs('2026-06-01T12:00:00+02:00')).toBe(Date.parse('2026-06-01T10:00:00Z'));
  });

  it('reads every platform-form time as Date.parse does, inside its month table (1970-2229) and out', () => {
    const ms = fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2300-12-31T23:59:59.999Z') });
    fc.assert(fc.property(ms, (time) => isoToMs(new Date(time).toISOString()) === time));
  });

  it('groups equal hashes under their first key, whatever their bits', () => {
    const hash = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
    fc.assert(
      fc.property(fc.array(hash, { maxLength: 300 }), (hashes) => {
        const firstSeen = new Map<number, number>();
        const count = new Map<number, number>();
        hashes.forEach((h, i) => {
          if (!firstSeen.has(h)) firstSeen.set(h, i);
          count.set(h, (count.get(h) ?? 0) + 1);
        });
        const expected = hashes.map((h) => ((count.get(h) as number) > 1 ? (firstSeen.get(h) as number) : -1));
        expect([...firstsByHash(Int32Array.from(hashes))]).toEqual(expected);
      }),
    );
  });

  it('counts an environment word only as a whole word, and a label with non-ASCII letters exactly', () => {
    expect(environmentFromLabel('prod_eu')).toBeNull(); // underscore joins words, as \b sees it
    expect(environmentFromLabel('dev-tools / PRODUCTION')).toBe('production');
    const twins = run([key({ label: 'Zahlung Über' }), key({ label: 'zahlung über' })]).map((f) => f.rule);
    expect(twins).toEqual(['duplicate_label', 'duplicate_label']);
  });
});

describe('duplicate labels that only look alike (confusable skeletons, Unicode TS #39)', () => {
  it('takes a label spelled with Cyrillic or other lookalike letters for a duplicate', () => {
    expect(sameLabel('Billing prod', 'B\u0456lling \u0440r\u043ed')).toBe(true); // і, р, о
    expect(sameLabel('Billing prod', 'BiIling prod')).toBe(true); // capital I for l
    expect(sameLabel('Payments', 'Payrnents')).toBe(true); // rn for m
    expect(sameLabel('v10 worker', 'vl0 worker')).toBe(true); // 1 and l
    expect(sameLabel('Ledger', 'Iedger')).toBe(false); // L and I are not alike
    expect(sameLabel('Billing prod', 'Billing prod 2')).toBe(false);
    const twins = run([key({ label: 'Billing prod' }), key({ label: 'B\u0456lling \u0440r\u043ed' })]);
    expect(twins.map((f) => f.rule)).toEqual(['duplicate_label', 'duplicate_label']);
    // Another account: not a duplicate.
    const apart = rules([key({ label: 'Billing prod' }), key({ label: 'B\u0456lling prod', account_id: root.id })]);
    expect(apart).not.toContain('duplicate_label');
  });
});

describe('a rotation’s keys', () => {
  it('are one lineage, not duplicates, however many times it was renewed; an unrelated twin still is', () => {
    const first = key({ label: 'Billing prod', status: 'revoked', revoked_at: at(-100) });
    const second = key({ label: 'billing prod', status: 'revoked', revoked_at: at(-10) });
    const third = key({ label: 'Billing prod' });
    const lineage = [first, second, third];
    const rotations = [
      [first.id, second.id],
      [second.id, third.id],
    ] as const;
    expect(rules(lineage).filter((rule) => rule === 'duplicate_label')).toHaveLength(3);
    expect(rules(lineage, { rotations })).not.toContain('duplicate_label');
    const stranger = key({ label: 'Billing prod' });
    const found = run([...lineage, stranger], { rotations }).filter((f) => f.rule === 'duplicate_label');
    expect(found.map((f) => f.key_id).sort()).toEqual([first.id, second.id, third.id, stranger.id].sort());
  });

  it('get a suggested label no key of the account has', () => {
    const day = Date.parse('2026-12-05T10:00:00Z');
    expect(replacementLabel('Billing prod', [], day)).toBe('Billing prod (2026-12)');
    expect(replacementLabel('Billing prod (2026-08)', ['Billing prod (2026-08)'], day)).toBe('Billing prod (2026-12)');
    expect(replacementLabel('Billing prod (2026-12)', ['Billing prod (2026-12)'], day)).toBe(
      'Billing prod (2026-12-05)',
    );
    expect(replacementLabel('Billing prod', ['billing PROD (2026-12)', 'Billing prod (2026-12-05)'], day)).toBe(
      'Billing prod (2026-12-05 2)',
    );
    expect(
      replacementLabel(
        'Billing prod (2026-12-05 2)',
        ['Billing prod (2026-12)', 'Billing prod (2026-12-05)', 'Billing prod (2026-12-05 2)'],
        day,
      ),
    ).toBe('Billing prod (2026-12-05 3)');
  });
});

describe('the vague-label pre-filter', () => {
  it('takes its first letters from the patterns, so a pattern added to the list is checked', () => {
    const letters = (table: Uint8Array | null) =>
      table === null ? null : [...table.keys()].filter((code) => table[code] === 1).map((c) => String.fromCharCode(c));
    expect(letters(firstLetters([/^demo$/i, /^Test$/]))).toEqual(['d', 't']);
    expect(firstLetters([/^demo$/i, /^(?:a|b)c$/])).toBeNull(); // can start with anything: no filter
    expect(firstLetters([/^a?b$/])).toBeNull();
  });

  it('never hides a vague label from the audit (the wizard and the audit agree), as a property', () => {
    const piece = fc.constantFrom(
      'test',
      'Test',
      'api key',
      'API-Key',
      'my key',
      'new key',
      'key',
      'Key 2',
      ' ',
      '7',
      'x',
      'demo',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 3 }), (pieces) => {
        const label = pieces.join('');
        fc.pre(label.trim() !== '');
        const flagged = rules([key({ label })]).includes('vague_label');
        expect(flagged).toBe(vagueLabelReason(label) !== null);
      }),
      { numRuns: 300 },
    );
  });
});

describe('duplicate labels, as a property', () => {
  it('match a plain pairwise comparison for any labels and accounts', () => {
    // Letters with case twins, accents, and confusables of each other: 1 I l |, m rn, o 0 and Cyrillic о, Latin and Cyrillic р/p.
    const label = fc.stringMatching(/^[ aAbBéÉ1lIL|mrnо0oOрp]{0,5}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(label, fc.boolean()), { maxLength: 40 }), (specs) => {
        const keys = specs.map(([text, inRoot]) => key({ label: text, account_id: inRoot ? root.id : leaf.id }));
        const expected = keys.map((a) =>
          keys.some((b) => b !== a && b.account_id === a.account_id && sameLabel(a.label, b.label)),
        );
        const bits = audit({ accounts: [root, leaf], keys }, DEFAULT_AUDIT_POLICY, NOW).ruleBitsByKey();
        expect(Array.from(bits, (b) => (b & ruleBit('duplicate_label')) !== 0)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('bulk action plans', () => {
  const keys = [
    key({ label: 'Live', expires_at: at(3) }),
    key({ label: 'Gone', status: 'revoked', revoked_at: at(-40) }),
    key({ label: 'Forever', expires_at: null }),
    key({ label: 'Lapsed', status: 'expired', expires_at: at(-10) }),
  ];

  it('revoke skips what is already revoked', () => {
    const plan = planBulk('revoke', keys, DEFAULT_AUDIT_POLICY.extendDays, NOW);
    expect(plan.changes.map((c) => [c.key.label, c.change])).toEqual([
      ['Live', 'active → revoked'],
      ['Forever', 'active → revoked'],
      ['Lapsed', 'expired → revoked'],
    ]);
    expect(plan.skipped).toEqual([{ key: keys[1], reason: 'already revoked' }]);
  });

  it('extend moves the later of now and the expiration by the policy, and gives one to a key without', () => {
    const plan = planBulk('extend', keys, 30, NOW);
    expect(plan.changes.map((c) => [c.key.label, c.change, c.expires_at])).toEqual([
      ['Live', 'expires 2026-06-04 → expires 2026-07-04', at(33)],
      ['Forever', 'never expires → expires 2026-07-01', at(30)],
      ['Lapsed', 'expires 2026-05-22 → expires 2026-07-01', at(30)],
    ]);
    expect(plan.skipped.map((s) => s.key.label)).toEqual(['Gone']);
  });

  it('reactivate takes only revoked keys, and says when one comes back expired', () => {
    const lapsedRevoked = key({ label: 'Old', status: 'revoked', revoked_at: at(-5), expires_at: at(-1) });
    const plan = planBulk('reactivate', [...keys, lapsedRevoked], 30, NOW);
    expect(plan.changes.map((c) => [c.key.label, c.change])).toEqual([
      ['Gone', 'revoked → active'],
      ['Old', 'revoked → expired (its expiration has passed)'],
    ]);
    expect(plan.skipped.map((s) => [s.key.label, s.reason])).toEqual([
      ['Live', 'not revoked (active)'],
      ['Forever', 'not revoked (active)'],
      ['Lapsed', 'not revoked (expired)'],
    ]);
  });

  it('delete takes every key', () => {
    expect(planBulk('delete', keys, DEFAULT_AUDIT_POLICY.extendDays, NOW).changes).toHaveLength(4);
  });
});
