// What a leak scan reports, decided from where a key string was found and what the inventory says
// about its public id. Pure: the CLI, the app and the reports share it. A finding never holds a
// secret: a key is named by its partial key.
import type { Account, ApiKey } from '../domain';
import { partialKeyOf, publicIdOf } from '../key-format';

export const SCAN_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

/** Where a string was seen: a file on disk, a commit of the history, or the index (staged). */
export type ScanOrigin = 'file' | 'history' | 'staged';

/** How a key's characters were written where it was found, when not as themselves. */
export type KeyEncoding = 'base64' | 'percent' | 'escape';

const ENCODING_TEXT: Record<KeyEncoding, string> = {
  base64: 'base64-encoded',
  percent: 'percent-encoded',
  escape: 'written with escapes',
};

export interface KeyLocation {
  origin: ScanOrigin;
  /** Relative to the folder the scan ran from. */
  path: string;
  line: number;
  column: number;
  /** null: the key's own characters; else how they were encoded (the place is the encoded text's). */
  encoding: KeyEncoding | null;
  commit: string | null;
  author_date: string | null;
  /** For history: whether the file on disk still holds the key (null when not known). */
  still_present: boolean | null;
  /** For history: the refs that reach the commit that brought it (null: not history). */
  refs: string[] | null;
  /** For history: whether the default branch ever held it, and whether its tip still does. */
  on_default_branch: boolean | null;
  in_default_tip: boolean | null;
  /** For history: the last commit that took it out of its path (the one before it held it last). */
  removed_in: string | null;
  /** For history: found in a commit's or an annotated tag's message (path ''), not a file. */
  message: 'commit' | 'tag' | null;
}

export interface KnownKey {
  id: string;
  label: string;
  account_id: string;
  account_name: string;
  status: ApiKey['status'];
  last_used_at: string | null;
}

export interface KeyFinding {
  kind: 'key';
  severity: ScanSeverity;
  partial_key: string;
  /** null: the public id is not in the inventory. */
  key: KnownKey | null;
  locations: KeyLocation[];
}

export interface LookalikeFinding {
  kind: 'lookalike';
  severity: 'info';
  /** The shape of a key whose checksum fails: not a key. */
  partial_key: string;
  locations: KeyLocation[];
}

export interface ExposedFileFinding {
  kind: 'exposed_file';
  severity: 'warning';
  /** Relative to the folder the scan ran from. */
  path: string;
  state: 'tracked' | 'not_ignored';
}

export type ScanFinding = KeyFinding | LookalikeFinding | ExposedFileFinding;

export interface ScanCounts {
  files: number;
  bytes: number;
  skipped: {
    oversized: number;
    unreadable: number;
    symlinks: number;
    /** FIFOs, sockets and devices: never opened (a FIFO would block the scan). */
    special: number;
    /** Refs of a history that lead to a missing object. */
    broken_refs: number;
    /** Objects of a history that are missing (a damaged repository): their contents not read. */
    missing_objects: number;
  };
  /** The git repositories the scanned paths are in. */
  repositories: string[];
}

const SKIP_TEXT: Record<keyof ScanCounts['skipped'], string> = {
  oversized: 'too large',
  unreadable: 'unreadable',
  symlinks: 'symbolic links (not followed)',
  special: 'FIFOs, sockets or devices (not opened)',
  broken_refs: 'git refs to a missing object',
  missing_objects: 'git objects missing',
};

/** A location as people read it: path:line:column, and how the key was encoded there. */
export const placeText = (location: KeyLocation): string =>
  `${location.path}:${location.line}:${location.column}${location.encoding ? ` (${ENCODING_TEXT[location.encoding]})` : ''}`;

/**
 * A history location's state for people: "still in the file", "removed from the file since", or,
 * for what the default branch never held, the refs it is only on.
 */
export function historyState(location: KeyLocation): string {
  if (location.on_default_branch === false) {
    const refs = location.refs ?? [];
    const named = refs.slice(0, 5).join(', ') + (refs.length > 5 ? ` and ${refs.length - 5} more` : '');
    return refs.length > 0 ? `only on ${named}` : 'on no ref (only in a reflog or the stash list)';
  }
  if (location.message !== null) return 'on the default branch';
  if (location.still_present) return 'still in the file';
  return location.removed_in
    ? `removed from the file in commit ${location.removed_in.slice(0, 12)}`
    : 'removed from the file since';
}

/** Where in the history: a file at a commit, or a commit's or tag's message. */
export function historyPlace(location: KeyLocation): string {
  const commit = location.commit?.slice(0, 12) ?? '';
  if (location.message === 'tag') return `the message of ${location.refs?.[0] ?? `tag object ${commit}`}`;
  if (location.message === 'commit') return `the message of commit ${commit}`;
  return `${placeText(location)} in commit ${commit}`;
}

/** What a scan skipped, for people: one phrase per reason that happened ("2 binary"). */
export const skipSummary = (skipped: ScanCounts['skipped']): string[] =>
  (Object.keys(SKIP_TEXT) as Array<keyof ScanCounts['skipped']>)
    .filter((reason) => skipped[reason] > 0)
    .map((reason) => `${skipped[reason]} ${SKIP_TEXT[reason]}`);

/** Why a file or folder was not read. */
export type SkipReason = 'oversized' | 'unreadable' | 'symlinks' | 'special';

/** A file or folder the scan did not read, and why (relative to the folder the scan ran from). */
export interface SkippedPath {
  path: string;
  reason: SkipReason;
}

/** The most skipped paths a report names (a tree of links, node_modules/.bin, can hold thousands); counts hold all. */
export const SKIPPED_PATHS_NAMED = 10_000;

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  oversized: 'over the size limit',
  unreadable: 'unreadable',
  symlinks: 'a symbolic link (not followed)',
  special: 'a FIFO, socket or device (not opened)',
};

/** A scan's outcome before the inventory is asked: what the app's scan sends to the window. */
export interface RawScanReport {
  hits: RawKeyHit[];
  exposed: Array<{ path: string; state: 'tracked' | 'not_ignored' }>;
  counts: ScanCounts;
  /** The first SKIPPED_PATHS_NAMED skipped paths, in the order met. */
  skipped_paths: SkippedPath[];
}

/** How far a scan has come: counts and the folder being read, never file contents. */
export interface ScanProgress {
  phase: 'files' | 'history' | 'staged';
  files: number;
  bytes: number;
  folder: string;
}

export interface ScanDone {
  scan_id: string;
  outcome: 'done' | 'cancelled' | 'failed';
  report: RawScanReport | null;
  error: string | null;
}

export interface RawKeyHit extends Omit<KeyLocation, 'still_present'> {
  publicId: string;
  valid: boolean;
}

/** The inventory as the scan needs it: public id → key and account name. */
export function inventoryIndex(snapshot: { accounts: Account[]; keys: ApiKey[] }): Map<string, KnownKey> {
  const names = new Map(snapshot.accounts.map((account) => [account.id, account.name]));
  return new Map(
    snapshot.keys.map((key) => [
      publicIdOf(key.partial_key),
      {
        id: key.id,
        label: key.label,
        account_id: key.account_id,
        account_name: names.get(key.account_id) ?? key.account_id,
        status: key.status,
        last_used_at: key.last_used_at,
      },
    ]),
  );
}

/** Active: whoever holds the copy can use it now. Revoked, expired or unknown: still to clean up. */
const keySeverity = (key: KnownKey | null): ScanSeverity => (key?.status === 'active' ? 'critical' : 'warning');

const SEVERITY_ORDER: Record<ScanSeverity, number> = { critical: 0, warning: 1, info: 2 };
const sortKey = (finding: ScanFinding) => (finding.kind === 'exposed_file' ? finding.path : finding.partial_key);
// Code-unit order: the same on every machine, and no collator to set up (localeCompare's first
// call costs ~10 ms, a noticeable part of a quick scan).
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One finding per key (and per lookalike), with every place it was seen; most severe first. */
export function classifyHits(
  hits: RawKeyHit[],
  inventory: Map<string, KnownKey>,
  exposed: Array<{ path: string; state: 'tracked' | 'not_ignored' }> = [],
): ScanFinding[] {
  // A history copy is still present when the same key is in the same file on disk.
  const onDisk = new Set(hits.filter((hit) => hit.origin === 'file').map((hit) => `${hit.publicId}\0${hit.path}`));
  const grouped = new Map<string, KeyFinding | LookalikeFinding>();
  for (const { publicId, valid, ...where } of hits) {
    const location: KeyLocation = {
      ...where,
      still_present: where.origin === 'history' ? onDisk.has(`${publicId}\0${where.path}`) : null,
    };
    const id = `${valid ? 'key' : 'lookalike'}:${publicId}`;
    let finding = grouped.get(id);
    if (!finding) {
      const key = valid ? (inventory.get(publicId) ?? null) : null;
      finding = valid
        ? { kind: 'key', severity: keySeverity(key), partial_key: partialKeyOf(publicId), key, locations: [] }
        : { kind: 'lookalike', severity: 'info', partial_key: partialKeyOf(publicId), locations: [] };
      grouped.set(id, finding);
    }
    finding.locations.push(location);
  }
  const files: ExposedFileFinding[] = exposed.map(({ path, state }) => ({
    kind: 'exposed_file',
    severity: 'warning',
    path,
    state,
  }));
  return [...grouped.values(), ...files].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || byCodeUnits(sortKey(a), sortKey(b)),
  );
}

export const reachesSeverity = (findings: ScanFinding[], threshold: 'warning' | 'critical'): boolean =>
  findings.some((finding) => SEVERITY_ORDER[finding.severity] <= SEVERITY_ORDER[threshold]);
