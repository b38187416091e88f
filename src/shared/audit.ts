// The audit engine: findings from an inventory, a policy and the clock. Pure, so the app, the
// CLI and a report all reach the same verdicts, online or off. Defaults follow the platform's
// best-practice guidance; every number is part of the policy.
import type { Account, ApiKey } from './domain';
import { DAY_MS, isoToMs } from './key-rules';
import { MIN_LABEL_LENGTH, sameLabel, vagueLabelReason } from './label-rules';

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

export const RULES = [
  'never_used',
  'unused',
  'expiring',
  'expired',
  'no_expiration_production',
  'no_expiration_parent',
  'rotation_overdue',
  'vague_label',
  'duplicate_label',
  'revoked_stale',
  'too_many_keys',
] as const;
export type RuleId = (typeof RULES)[number];

export type SuggestedAction = 'delete' | 'revoke' | 'rotate' | 'extend' | 'set_expiration' | 'rename' | 'review';

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface AuditPolicy {
  /** A key never used this long after its creation should go. */
  neverUsedGraceDays: number;
  unusedDays: number;
  expiringDays: number;
  rotationDays: Record<Environment, number>;
  /** A revoked key kept longer than this after its revocation should be deleted. */
  revokedRetentionDays: number;
  maxKeysPerAccount: number;
  /** How far the bulk "extend" action pushes an expiration: from now, or from the old date if later. */
  extendDays: number;
}

export const DEFAULT_AUDIT_POLICY: AuditPolicy = {
  neverUsedGraceDays: 7,
  unusedDays: 90,
  expiringDays: 7,
  rotationDays: { production: 90, staging: 180, development: 365 },
  revokedRetentionDays: 30,
  maxKeysPerAccount: 15,
  extendDays: 90,
};

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
}

// Words of a label that name an environment, with the rank of that environment in
// ENVIRONMENT_RANK: a label naming two takes the lower rank.
const ENVIRONMENT_RANK: readonly Environment[] = ENVIRONMENTS;
const ENVIRONMENT_WORDS = ['prod', 'production', 'staging', 'stage', 'dev', 'development', 'test'];
const WORD_RANKS = [0, 0, 1, 1, 2, 2, 2];

/** Code of an ASCII letter in lower case; anything else unchanged. */
const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);
/** `\b` word characters, as regular expressions see them: ASCII letters, digits and underscore. */
const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;

function wordIs(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (lowerCode(text.charCodeAt(start + i)) !== word.charCodeAt(i)) return false;
  return true;
}

/** Rank in ENVIRONMENT_RANK of the environment the word text[start, end) names, or 3. */
function environmentRankOf(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 3 || length > 11) return 3;
  // Every environment word starts with p, s, d or t: most words stop here.
  const first = lowerCode(text.charCodeAt(start));
  if (first !== 112 && first !== 115 && first !== 100 && first !== 116) return 3;
  for (let w = 0; w < ENVIRONMENT_WORDS.length; w++) {
    if (wordIs(text, start, end, ENVIRONMENT_WORDS[w] as string)) return WORD_RANKS[w] as number;
  }
  return 3;
}

/**
 * One pass over a label, without allocating: the environment it names (as a rank, 3 for none)
 * and a hash of its trimmed lower-case form for spotting duplicates. Labels with non-ASCII
 * characters hash their `toLowerCase()` form so the comparison stays exact for every script.
 */
function scanLabel(label: string, out: { rank: number; hash: number }): void {
  let rank = 3;
  let hash = 0x811c9dc5;
  let start = 0;
  let end = label.length;
  while (start < end && label.charCodeAt(start) <= 32) start++;
  while (end > start && label.charCodeAt(end - 1) <= 32) end--;
  let wordStart = -1;
  let ascii = true;
  for (let i = start; i <= end; i++) {
    const code = i < end ? label.charCodeAt(i) : 32;
    if (code > 127) ascii = false;
    if (isWordCode(code)) {
      if (wordStart < 0) wordStart = i;
    } else if (wordStart >= 0) {
      const r = environmentRankOf(label, wordStart, i);
      if (r < rank) rank = r;
      wordStart = -1;
    }
    if (i < end) hash = Math.imul(hash ^ lowerCode(code), 0x01000193);
  }
  if (!ascii) {
    const lower = label.trim().toLowerCase();
    hash = 0x811c9dc5;
    for (let i = 0; i < lower.length; i++) hash = Math.imul(hash ^ lower.charCodeAt(i), 0x01000193);
  }
  out.rank = rank;
  out.hash = hash;
}

/** The environment a label names (prod/production, staging/stage, dev/development/test), if any. */
export function environmentFromLabel(label: string): Environment | null {
  const scan = { rank: 3, hash: 0 };
  scanLabel(label, scan);
  return ENVIRONMENT_RANK[scan.rank] ?? null;
}

// Only labels that start like a vague one (or are very short) go through the vague-label patterns.
const mayBeVague = (label: string) => {
  const trimmed = label.trimStart();
  if (trimmed.length < MIN_LABEL_LENGTH) return true;
  const first = lowerCode(trimmed.charCodeAt(0));
  return first === 116 || first === 97 || first === 109 || first === 110 || first === 107; // t a m n k
};

const days = (ms: number) => Math.floor(ms / DAY_MS);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// Messages are written only when read: an audit of 100,000 keys may find 150,000 things, and
// building every sentence up front would cost more than the audit itself.
const SENTENCES: Record<RuleId, (n: number, detail: string) => string> = {
  never_used: (n) => `was created ${plural(n, 'day')} ago and never used.`,
  unused: (n) => `has not been used for ${plural(n, 'day')}.`,
  expiring: (n) => (n <= 1 ? 'expires within a day: rotate it now.' : `expires in ${plural(n, 'day')}: rotate it.`),
  expired: (n) => `expired ${plural(n, 'day')} ago: delete it, or extend it if it is still needed.`,
  no_expiration_production: () => 'is a production key without an expiration.',
  no_expiration_parent: (_n, account) => `never expires and belongs to ${account}, so it reaches every subaccount.`,
  rotation_overdue: (n, rotation) => `is ${plural(n, 'day')} old; ${rotation}.`,
  vague_label: (_n, reason) => `: ${reason}.`,
  duplicate_label: () => 'shares its label with another key in the same account.',
  revoked_stale: (n) => `was revoked ${plural(n, 'day')} ago and can be deleted.`,
  too_many_keys: (n, limit) => `holds ${plural(n, 'key')}; ${limit}.`,
};

const SEVERITY: Record<RuleId, Severity> = {
  never_used: 'warning',
  unused: 'warning',
  expiring: 'warning',
  expired: 'warning',
  no_expiration_production: 'warning',
  no_expiration_parent: 'critical',
  rotation_overdue: 'warning',
  vague_label: 'info',
  duplicate_label: 'info',
  revoked_stale: 'info',
  too_many_keys: 'warning',
};

const ACTION: Record<RuleId, SuggestedAction> = {
  never_used: 'delete',
  unused: 'revoke',
  expiring: 'rotate',
  expired: 'delete',
  no_expiration_production: 'set_expiration',
  no_expiration_parent: 'set_expiration',
  rotation_overdue: 'rotate',
  vague_label: 'rename',
  duplicate_label: 'rename',
  revoked_stale: 'delete',
  too_many_keys: 'review',
};

/** Columns of findings, grown as needed: 150,000 findings cost three typed arrays, not 150,000 objects. */
class Columns {
  length = 0;
  rules = new Uint8Array(0);
  /** Position of the key in the inventory; for an account-wide finding, -1 - position of the account. */
  subjects = new Int32Array(0);
  /** Days (age, time left...) or a count, depending on the rule. */
  numbers = new Int32Array(0);

  constructor(capacity: number) {
    this.grow(Math.max(capacity, 16));
  }

  push(rule: number, subject: number, n: number): void {
    if (this.length === this.rules.length) this.grow(this.rules.length * 2);
    this.rules[this.length] = rule;
    this.subjects[this.length] = subject;
    this.numbers[this.length] = n;
    this.length++;
  }

  private grow(capacity: number): void {
    const rules = new Uint8Array(capacity);
    const subjects = new Int32Array(capacity);
    const numbers = new Int32Array(capacity);
    rules.set(this.rules);
    subjects.set(this.subjects);
    numbers.set(this.numbers);
    this.rules = rules;
    this.subjects = subjects;
    this.numbers = numbers;
  }
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
  ) {}

  get length(): number {
    return this.columns.length;
  }

  rule(i: number): RuleId {
    return RULES[this.columns.rules[i] as number] as RuleId;
  }

  severity(i: number): Severity {
    const rule = this.rule(i);
    return rule === 'expiring' && (this.columns.numbers[i] as number) <= 1 ? 'critical' : SEVERITY[rule];
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
    if (rule === 'rotation_overdue') {
      const environment = environmentOf(key, this.inventory.environments);
      return environment ? `${environment} keys are rotated every ${this.policy.rotationDays[environment]} days` : '';
    }
    return '';
  }
}

/** The environment set by hand for a key, or else the one its label names. */
export const environmentOf = (key: ApiKey, overrides: AuditInventory['environments']): Environment | null =>
  overrides?.[key.id] ?? environmentFromLabel(key.label);

/** The bit a rule sets in `ruleBitsByKey`. */
export const ruleBit = (rule: RuleId): number => 1 << RULES.indexOf(rule);

// Open addressing over typed arrays: counting 100,000 label hashes in a Map costs more than the
// rest of the audit together.
class HashGroups {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  private readonly counts: Int32Array;
  /** The first key seen with each hash. */
  private readonly firsts: Int32Array;

  constructor(size: number) {
    let capacity = 16;
    while (capacity < size * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    this.firsts = new Int32Array(capacity);
  }

  private slot(hash: number): number {
    // FNV's low bits are poorly mixed; murmur's finalizer spreads them before masking.
    let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    let slot = (mixed ^ (mixed >>> 16)) & this.mask;
    while (this.counts[slot] !== 0 && this.hashes[slot] !== hash) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** Counts the hash; returns its slot, for `sharedWith`. */
  add(hash: number, index: number): number {
    const slot = this.slot(hash);
    if (this.counts[slot] === 0) this.firsts[slot] = index;
    this.hashes[slot] = hash;
    this.counts[slot] = (this.counts[slot] as number) + 1;
    return slot;
  }

  /** The first index with the slot's hash when another one shares it, else -1. */
  sharedWith(slot: number): number {
    return (this.counts[slot] as number) > 1 ? (this.firsts[slot] as number) : -1;
  }
}

/** Same account and same label, trimmed and compared case-insensitively (sameLabel), without allocating for ASCII. */
function sameAccountAndLabel(a: ApiKey, b: ApiKey): boolean {
  if (a.account_id !== b.account_id) return false;
  const x = a.label;
  const y = b.label;
  let i = 0;
  let j = 0;
  let xEnd = x.length;
  let yEnd = y.length;
  while (i < xEnd && x.charCodeAt(i) <= 32) i++;
  while (xEnd > i && x.charCodeAt(xEnd - 1) <= 32) xEnd--;
  while (j < yEnd && y.charCodeAt(j) <= 32) j++;
  while (yEnd > j && y.charCodeAt(yEnd - 1) <= 32) yEnd--;
  if (xEnd - i !== yEnd - j) return sameLabel(x, y); // lengths may still match once non-ASCII is lower-cased
  for (; i < xEnd; i++, j++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(j);
    if (cx > 127 || cy > 127) return sameLabel(x, y);
    if (lowerCode(cx) !== lowerCode(cy)) return false;
  }
  return true;
}

/**
 * Keys sharing their label with another key of the same account, as a flag per key. Hashes find
 * the candidates; a candidate is compared with the first key of its hash, and the rare ones that
 * only collide with it are settled by comparing their strings.
 */
function duplicateLabels(keys: ApiKey[], slots: Int32Array, groups: HashGroups): Uint8Array {
  const duplicate = new Uint8Array(keys.length);
  const collided: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const first = groups.sharedWith(slots[i] as number);
    if (first < 0 || first === i) continue;
    if (sameAccountAndLabel(keys[i] as ApiKey, keys[first] as ApiKey)) {
      duplicate[i] = 1;
      duplicate[first] = 1;
    } else {
      collided.push(i);
    }
  }
  if (collided.length > 0) {
    const exact = (i: number) => `${keys[i]?.account_id}\u0000${keys[i]?.label.trim().toLowerCase()}`;
    const seen = new Map<string, number>();
    for (const i of collided) seen.set(exact(i), (seen.get(exact(i)) ?? 0) + 1);
    for (const i of collided) if ((seen.get(exact(i)) as number) > 1) duplicate[i] = 1;
  }
  return duplicate;
}

const R = Object.fromEntries(RULES.map((rule, i) => [rule, i])) as Record<RuleId, number>;

export function audit(inventory: AuditInventory, policy: AuditPolicy, now: number): AuditResult {
  const { keys, accounts } = inventory;
  const found = new Columns(keys.length * 2);
  const overrides =
    inventory.environments && Object.keys(inventory.environments).length > 0 ? inventory.environments : null;
  const rotationMs = ENVIRONMENT_RANK.map((environment) => policy.rotationDays[environment] * DAY_MS);

  // Accounts by position: parents (a key there reaches every subaccount) and key counts.
  const accountAt = new Map<string, number>();
  for (const account of accounts) accountAt.set(account.id, accountAt.size);
  const isParent = new Uint8Array(accounts.length + 1);
  for (const account of accounts) {
    const parent = account.parent_id === null ? undefined : accountAt.get(account.parent_id);
    if (parent !== undefined) isParent[parent] = 1;
  }
  const keyCounts = new Int32Array(accounts.length + 1);

  // One pass over the keys: duplicate-label hashes, environments from labels and every rule of a
  // single key. It allocates nothing (bench:audit runs it over 100,000 keys).
  const slots = new Int32Array(keys.length);
  const groups = new HashGroups(keys.length);
  const scan = { rank: 3, hash: 0 };
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as ApiKey;
    const place = accountAt.get(key.account_id) ?? accounts.length;
    keyCounts[place] = (keyCounts[place] as number) + 1;
    scanLabel(key.label, scan);
    slots[i] = groups.add(Math.imul(scan.hash ^ place, 0x01000193), i);
    const created = isoToMs(key.created_at);

    if (key.status === 'revoked') {
      const revoked = key.revoked_at === null ? null : isoToMs(key.revoked_at);
      if (revoked !== null && now - revoked > policy.revokedRetentionDays * DAY_MS) {
        found.push(R.revoked_stale, i, days(now - revoked));
      }
    } else {
      const lastUsed = key.last_used_at === null ? null : isoToMs(key.last_used_at);
      const expires = key.expires_at === null ? null : isoToMs(key.expires_at);
      if (lastUsed === null) {
        if (now - created > policy.neverUsedGraceDays * DAY_MS) found.push(R.never_used, i, days(now - created));
      } else if (now - lastUsed > policy.unusedDays * DAY_MS) {
        found.push(R.unused, i, days(now - lastUsed));
      }
      if (expires !== null && expires <= now) {
        found.push(R.expired, i, days(now - expires));
      } else if (expires !== null && expires - now <= policy.expiringDays * DAY_MS) {
        found.push(R.expiring, i, Math.ceil((expires - now) / DAY_MS));
      }
      const override = overrides?.[key.id];
      const rank = override ? ENVIRONMENT_RANK.indexOf(override) : scan.rank;
      if (expires === null && isParent[place] === 1) found.push(R.no_expiration_parent, i, 0);
      else if (expires === null && rank === 0) found.push(R.no_expiration_production, i, 0);
      if (rank < 3 && now - created > (rotationMs[rank] as number))
        found.push(R.rotation_overdue, i, days(now - created));
    }

    if (mayBeVague(key.label) && vagueLabelReason(key.label)) found.push(R.vague_label, i, 0);
  }
  const duplicate = duplicateLabels(keys, slots, groups);
  for (let i = 0; i < keys.length; i++) if (duplicate[i] === 1) found.push(R.duplicate_label, i, 0);

  for (let place = 0; place < accounts.length; place++) {
    const count = keyCounts[place] as number;
    if (count > policy.maxKeysPerAccount) found.push(R.too_many_keys, -1 - place, count);
  }
  return new AuditResult(inventory, policy, found);
}
