// The audit: every finding of an inventory under a policy at a time, in one pass. Pure, so the
// app, the CLI and a report reach the same verdicts, online or off. Which key breaks which rule is
// decided in rules.ts; this module walks the inventory and keeps the findings.
import type { Account, ApiKey } from '../domain';
import { vagueLabelReason } from '../label-rules';
import type { KeyUse } from '../request-log';
import { isoToMs } from '../utc-time';
import { Columns } from './columns';
import { duplicateLabels, forgiveRotations } from './duplicates';
import {
  ENVIRONMENTS,
  type Environment,
  environmentOf,
  type LabelScan,
  NO_ENVIRONMENT,
  scanLabel,
} from './environment';
import type { AuditPolicy } from './policy';
import {
  ACTION,
  blankFacts,
  checkKey,
  type KeyFacts,
  R,
  RULES,
  type RuleId,
  SENTENCES,
  SEVERITIES,
  type Severity,
  type SuggestedAction,
  severityOf,
} from './rules';

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** null for a finding about an account as a whole. */
  key_id: string | null;
  account_id: string;
  message: string;
  action: SuggestedAction;
}

export interface AuditInventory {
  accounts: Account[];
  keys: ApiKey[];
  /** Environments set by hand, by key id; otherwise read from the label. */
  environments?: Record<string, Environment>;
  /** What the request log says of the keys' use (the activity rules); none: those rules find nothing. */
  key_use?: readonly KeyUse[];
  /** When each key's suspected exposure began (ISO), by key id: from the app's incidents. */
  exposures?: Record<string, string>;
  /** Each rotation's (old key id, replacement id), from the app's rotations and incidents. */
  rotations?: ReadonlyArray<readonly [string, string]>;
}

/**
 * The outcome of an audit. Findings are kept as columns and a `Finding` object is built only when
 * one is read (`at`, iteration, `toArray`), so an inventory of 100,000 keys audits in a few tens of
 * milliseconds and a screen that shows 50 findings builds 50 objects.
 */
export class AuditResult implements Iterable<Finding> {
  constructor(
    private readonly inventory: AuditInventory,
    private readonly policy: AuditPolicy,
    private readonly columns: Columns,
    /** The time the audit judged at. */
    readonly now: number,
  ) {}

  get length(): number {
    return this.columns.length;
  }

  rule(i: number): RuleId {
    return RULES[this.columns.rules[i] as number] as RuleId;
  }

  severity(i: number): Severity {
    return severityOf(this.rule(i), this.columns.numbers[i] as number);
  }

  /** Position in the inventory of the finding's key, or -1 for an account-wide finding. */
  keyIndex(i: number): number {
    const subject = this.columns.subjects[i] as number;
    return subject >= 0 ? subject : -1;
  }

  at(i: number): Finding {
    if (i < 0 || i >= this.length) throw new RangeError(`no finding ${i}`);
    const rule = this.rule(i);
    const subject = this.columns.subjects[i] as number;
    const n = this.columns.numbers[i] as number;
    const severity = this.severity(i);
    const action = ACTION[rule];
    if (subject < 0) {
      const account = this.inventory.accounts[-1 - subject] as Account;
      const message = `${account.name} ${SENTENCES[rule](n, `the policy allows ${this.policy.maxKeysPerAccount}`)}`;
      return { rule, severity, key_id: null, account_id: account.id, message, action };
    }
    const key = this.inventory.keys[subject] as ApiKey;
    const sentence = SENTENCES[rule](n, this.detail(rule, key));
    const message = `“${key.label}” (${key.partial_key})${sentence.startsWith(':') ? '' : ' '}${sentence}`;
    return { rule, severity, key_id: key.id, account_id: key.account_id, message, action };
  }

  *[Symbol.iterator](): Iterator<Finding> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  toArray(): Finding[] {
    return Array.from(this);
  }

  /** Per key of the inventory, a bit per rule that found something (`ruleBit`): the table's flags. */
  ruleBitsByKey(): Uint16Array {
    const bits = new Uint16Array(this.inventory.keys.length);
    for (let i = 0; i < this.length; i++) {
      const subject = this.columns.subjects[i] as number;
      if (subject >= 0) bits[subject] = (bits[subject] as number) | (1 << (this.columns.rules[i] as number));
    }
    return bits;
  }

  /** The rule bits of the key at `position` (one key's `ruleBitsByKey`). */
  ruleBitsOf(position: number): number {
    let bits = 0;
    for (let i = 0; i < this.length; i++)
      if (this.columns.subjects[i] === position) bits |= 1 << (this.columns.rules[i] as number);
    return bits;
  }

  summary(): Record<Severity, number> {
    const summary: Record<Severity, number> = { info: 0, warning: 0, critical: 0 };
    for (let i = 0; i < this.length; i++) summary[this.severity(i)]++;
    return summary;
  }

  /** True when some finding is at least as severe as the threshold. */
  reaches(threshold: Severity): boolean {
    const floor = SEVERITIES.indexOf(threshold);
    for (let i = 0; i < this.length; i++) if (SEVERITIES.indexOf(this.severity(i)) >= floor) return true;
    return false;
  }

  /**
   * The audit of `inventory`, which differs from this one's only in the key at `position` (changed
   * in place, its label and account kept, every other input the same): that key's findings redone,
   * every other finding kept. The same findings in the same order as `audit(inventory, policy, now)`
   * (test/unit/audit-one-key.test.ts holds it to that), in a few milliseconds at 100,000 keys where
   * the whole audit takes a tenth of a second. Null when the change is not of that kind.
   */
  withKeyRedone(inventory: AuditInventory, position: number): AuditResult | null {
    const before = this.inventory;
    const old = before.keys[position];
    const key = inventory.keys[position];
    if (
      !old ||
      !key ||
      key.id !== old.id ||
      key.label !== old.label ||
      key.account_id !== old.account_id ||
      inventory.keys.length !== before.keys.length ||
      inventory.accounts !== before.accounts ||
      inventory.environments !== before.environments ||
      inventory.key_use !== before.key_use
    )
      return null;
    const redone: Array<[number, number]> = [];
    const context = keyContext(inventory);
    const facts = blankFacts();
    const scan: LabelScan = { rank: NO_ENVIRONMENT, hash: 0, skeletonHash: 0 };
    scanLabel(key.label, scan);
    fillFacts(facts, key, scan.rank, context);
    checkKey(facts, this.policy, this.now, (rule, n) => redone.push([rule, n]));

    // The key rules' findings come first, key after key; then duplicates and accounts (see audit).
    const { rules, subjects, numbers, length } = this.columns;
    const found = new Columns(length + redone.length);
    let placed = false;
    const place = () => {
      for (const [rule, n] of redone) found.push(rule, position, n);
      placed = true;
    };
    for (let i = 0; i < length; i++) {
      const rule = rules[i] as number;
      const subject = subjects[i] as number;
      const keyRule = rule !== R.duplicate_label && subject >= 0;
      if (!placed && (!keyRule || subject > position)) place();
      if (keyRule && subject === position) continue;
      found.push(rule, subject, numbers[i] as number);
    }
    if (!placed) place();
    return new AuditResult(inventory, this.policy, found, this.now);
  }

  private names: Map<string, string> | null = null;

  /** Built on first need: exporting every finding must not search the accounts once per finding. */
  private accountName(accountId: string): string {
    this.names ??= new Map(this.inventory.accounts.map((account) => [account.id, account.name]));
    return this.names.get(accountId) ?? accountId;
  }

  // The words a sentence needs beyond the numbers, worked out again from the key when read.
  private detail(rule: RuleId, key: ApiKey): string {
    if (rule === 'vague_label') return vagueLabelReason(key.label) ?? '';
    if (rule === 'no_expiration_parent') return this.accountName(key.account_id);
    if (rule === 'many_sources' || rule === 'refused_attempts') {
      return `in the last ${this.policy.recentUseDays} days${rule === 'many_sources' ? `; the policy allows ${this.policy.maxSources}` : ''}`;
    }
    if (rule === 'used_after_exposure') {
      return (this.inventory.exposures?.[key.id] ?? '').slice(0, 16).replace('T', ' ');
    }
    if (rule === 'rotation_overdue') {
      const environment = environmentOf(key, this.inventory.environments);
      return environment ? `${environment} keys are rotated every ${this.policy.rotationDays[environment]} days` : '';
    }
    return '';
  }
}

/** What the key rules read besides the key itself, worked out once per inventory. */
interface KeyContext {
  accountAt: Map<string, number>;
  /** By account position: the account has subaccounts (a key there reaches every one of them). */
  isParent: Uint8Array;
  overrides: Record<string, Environment> | null;
  useOf: Map<string, KeyUse> | null;
  exposures: Record<string, string> | null;
}

function keyContext(inventory: AuditInventory): KeyContext {
  const { accounts } = inventory;
  const accountAt = new Map<string, number>();
  for (const account of accounts) accountAt.set(account.id, accountAt.size);
  const isParent = new Uint8Array(accounts.length + 1);
  for (const account of accounts) {
    const parent = account.parent_id === null ? undefined : accountAt.get(account.parent_id);
    if (parent !== undefined) isParent[parent] = 1;
  }
  return {
    accountAt,
    isParent,
    overrides: inventory.environments && Object.keys(inventory.environments).length > 0 ? inventory.environments : null,
    // Most keys have no logged use and no incident: a lookup only when there is something to find.
    useOf:
      inventory.key_use && inventory.key_use.length > 0 ? new Map(inventory.key_use.map((u) => [u.key_id, u])) : null,
    exposures: inventory.exposures && Object.keys(inventory.exposures).length > 0 ? inventory.exposures : null,
  };
}

/** `facts` of `key` (`rank`: the environment its label names), written in place: nothing allocated. */
function fillFacts(facts: KeyFacts, key: ApiKey, rank: number, context: KeyContext): void {
  const place = context.accountAt.get(key.account_id) ?? context.accountAt.size;
  const override = context.overrides?.[key.id];
  // Only the times checkKey reads: a revoked key is judged by its revocation alone.
  const revoked = key.status === 'revoked';
  facts.revoked = revoked;
  facts.createdAt = isoToMs(key.created_at);
  facts.lastUsedAt = revoked || key.last_used_at === null ? null : isoToMs(key.last_used_at);
  facts.expiresAt = revoked || key.expires_at === null ? null : isoToMs(key.expires_at);
  facts.revokedAt = !revoked || key.revoked_at === null ? null : isoToMs(key.revoked_at);
  facts.label = key.label;
  facts.environment = override ? ENVIRONMENTS.indexOf(override) : rank;
  facts.parentAccount = context.isParent[place] === 1;
  const use = context.useOf?.get(key.id);
  facts.firstSourceAt = use ? isoToMs(use.first_source_at) : null;
  facts.newestSourceAt = use ? isoToMs(use.newest_source_at) : null;
  facts.recentSources = use ? use.recent_sources : 0;
  facts.refusedAttempts = use ? use.refused_attempts : 0;
  const exposedAt = context.exposures?.[key.id];
  facts.exposedAt = exposedAt === undefined ? null : isoToMs(exposedAt);
}

/** The bit a rule sets in `ruleBitsByKey`. */
export const ruleBit = (rule: RuleId): number => 1 << RULES.indexOf(rule);

export function audit(inventory: AuditInventory, policy: AuditPolicy, now: number): AuditResult {
  const { keys, accounts } = inventory;
  const found = new Columns(keys.length * 2);
  const context = keyContext(inventory);
  const keyCounts = new Int32Array(accounts.length + 1);

  // One pass over the keys: duplicate-label hashes, environments from labels and every key rule.
  // It allocates nothing per key (bench:audit runs it over 100,000 keys).
  const labelHashes = new Int32Array(keys.length);
  const skeletonHashes = new Int32Array(keys.length);
  const scan: LabelScan = { rank: NO_ENVIRONMENT, hash: 0, skeletonHash: 0 };
  const facts = blankFacts();
  let current = 0;
  const record = (rule: number, n: number) => found.push(rule, current, n);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as ApiKey;
    const place = context.accountAt.get(key.account_id) ?? accounts.length;
    keyCounts[place] = (keyCounts[place] as number) + 1;
    scanLabel(key.label, scan);
    // The account goes into the hashes: a duplicate is the same label in the same account.
    labelHashes[i] = Math.imul(scan.hash ^ place, 0x01000193);
    skeletonHashes[i] = Math.imul(scan.skeletonHash ^ place, 0x01000193);
    fillFacts(facts, key, scan.rank, context);
    current = i;
    checkKey(facts, policy, now, record);
  }
  const duplicate = duplicateLabels(keys, labelHashes, skeletonHashes);
  if (inventory.rotations && inventory.rotations.length > 0) forgiveRotations(keys, duplicate, inventory.rotations);
  for (let i = 0; i < keys.length; i++) if (duplicate[i] === 1) found.push(R.duplicate_label, i, 0);

  for (let place = 0; place < accounts.length; place++) {
    const count = keyCounts[place] as number;
    if (count > policy.maxKeysPerAccount) found.push(R.too_many_keys, -1 - place, count);
  }
  return new AuditResult(inventory, policy, found, now);
}
