// A leak scan: the files under the given paths (one thread per core: this one and workers), and for each
// git repository they are in, its history (--git-history) or only what is staged (--staged),
// and the secret-bearing files it tracks or does not ignore. Answers raw hits; what they mean is
// decided with the inventory by shared/scan/findings.ts.
import { realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { systemMonotonicNow } from '../shared/clock';
import {
  type RawKeyHit,
  type RawScanReport,
  type ScanCounts,
  type ScanProgress,
  SKIPPED_PATHS_NAMED,
  type SkippedPath,
  type SkipReason,
} from '../shared/scan/findings';
import { FilePool, type WalkStart } from './file-pool';
import {
  type DiffHit,
  type ExposedFile,
  exposedSecretFiles,
  repositoryOf,
  stagedKeyHits,
  stagedSecretFiles,
} from './git';
import { type HistoryHit, historyKeyHits } from './history';
import type { KeyHit } from './key-hits';
import { lstatOrNull } from './paths';
import type { FileScan } from './scan-file';

export interface ScanOptions {
  paths: string[];
  /** Paths in the answer are relative to this folder; absolute without it (the app). */
  cwd?: string;
  gitHistory: boolean;
  /** Only what is staged in each repository, for a pre-commit hook. */
  staged: boolean;
  maxFileBytes: number;
  /** Threads that scan (this one and workers); one per core by default. */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

export type RawScan = RawScanReport;

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
const PROGRESS_EVERY_MS = 100;

/** What every hit says of itself, whatever it was found in. */
const where = ({ publicId, valid, line, column, encoding }: KeyHit) => ({ publicId, valid, line, column, encoding });

export async function scanPaths(options: ScanOptions): Promise<RawScan> {
  const base = options.cwd ?? process.cwd();
  const roots = (options.paths.length > 0 ? options.paths : ['.']).map((path) => resolve(base, path));
  const shown = (path: string) => (options.cwd === undefined ? path : relative(options.cwd, path) || '.');
  const counts: ScanCounts = {
    files: 0,
    bytes: 0,
    skipped: { oversized: 0, unreadable: 0, symlinks: 0, special: 0, broken_refs: 0, missing_objects: 0 },
    repositories: [],
  };
  const hits: RawKeyHit[] = [];
  const exposed: ExposedFile[] = [];
  const skippedPaths: SkippedPath[] = [];
  const skip = (path: string, reason: SkipReason) => {
    counts.skipped[reason]++;
    if (skippedPaths.length < SKIPPED_PATHS_NAMED) skippedPaths.push({ path: shown(path), reason });
  };
  const fromRepo = (repo: string, path: string) => shown(join(repo, path));
  const notHistory = { refs: null, on_default_branch: null, in_default_tip: null, removed_in: null, message: null };
  const stagedHit = (repo: string) => (hit: DiffHit) =>
    hits.push({
      ...where(hit),
      origin: 'staged',
      path: fromRepo(repo, hit.path),
      commit: null,
      author_date: null,
      ...notHistory,
    });
  // A blob only in the index is staged; everything else of the history names its commit.
  const historyHit = (repo: string) => (hit: HistoryHit) =>
    hits.push({
      ...where(hit),
      origin: hit.commit === null && hit.path !== '' ? 'staged' : 'history',
      path: hit.path === '' ? '' : fromRepo(repo, hit.path),
      commit: hit.commit,
      author_date: hit.authorDate,
      refs: hit.refs,
      on_default_branch: hit.onDefaultBranch,
      in_default_tip: hit.inDefaultTip,
      removed_in: hit.removedIn,
      message: hit.message,
    });

  // One git call per root: a file's repository is its folder's.
  const repositoriesOf = () => {
    const found = roots.map((root) => repositoryOf(isDirectory(root) ? root : dirname(root)));
    const repositories = [...new Set(found)].filter((repo): repo is string => repo !== null);
    counts.repositories = repositories.map(shown);
    return repositories;
  };

  if (options.staged) {
    for (const repo of repositoriesOf()) {
      options.onProgress?.({ phase: 'staged', files: 0, bytes: 0, folder: shown(repo) });
      (await stagedKeyHits(repo, options.signal)).forEach(stagedHit(repo));
      exposed.push(...stagedSecretFiles(repo).map((file) => ({ ...file, path: fromRepo(repo, file.path) })));
    }
    return { hits, exposed, counts, skipped_paths: skippedPaths };
  }

  // Each repository's history is started first (mostly git's work, in processes of its own), then
  // the files are read meanwhile; the history is reported after the files.
  const repositories = repositoriesOf();
  const histories = options.gitHistory
    ? repositories.map((repo) => historyKeyHits(repo, options.maxFileBytes, options.signal))
    : [];
  for (const history of histories) history.catch(() => undefined); // awaited below
  const files = scanFiles(roots, options, counts, skip, (file) => {
    for (const hit of file.hits) {
      hits.push({
        ...where(hit),
        origin: 'file',
        path: shown(file.path),
        commit: null,
        author_date: null,
        ...notHistory,
      });
    }
  });
  await files;
  for (const [i, repo] of repositories.entries()) {
    if (options.signal?.aborted) break;
    exposed.push(...exposedSecretFiles(repo).map((file) => ({ ...file, path: fromRepo(repo, file.path) })));
    const reading = histories[i];
    if (reading) {
      options.onProgress?.({ phase: 'history', files: counts.files, bytes: counts.bytes, folder: shown(repo) });
      const history = await reading;
      history.hits.forEach(historyHit(repo));
      counts.skipped.broken_refs += history.skipped.refs;
      counts.skipped.missing_objects += history.skipped.objects;
      counts.skipped.oversized += history.skipped.oversized;
    }
  }
  return { hits, exposed, counts, skipped_paths: skippedPaths };
}

/** Scans the roots in the pool: every folder is one task, its subfolders tasks of their own. */
async function scanFiles(
  roots: string[],
  options: ScanOptions,
  counts: ScanCounts,
  skip: (path: string, reason: SkipReason) => void,
  onFile: (file: FileScan) => void,
): Promise<void> {
  let lastProgress = 0;
  const report = (folder: string, force = false) => {
    const now = systemMonotonicNow(); // a throttle: the time between two reports, not a date
    if (!options.onProgress || (!force && now - lastProgress < PROGRESS_EVERY_MS)) return;
    lastProgress = now;
    options.onProgress({ phase: 'files', files: counts.files, bytes: counts.bytes, folder });
  };
  const starts: WalkStart[] = [];
  for (const root of roots) {
    const stat = lstatOrNull(root);
    if (!stat) skip(root, 'unreadable');
    else if (stat.isSymbolicLink()) skip(root, 'symlinks');
    else if (!stat.isDirectory() && !stat.isFile()) skip(root, 'special');
    else {
      // A file's hits must come from inside the folder it was walked from: its real place.
      const within = realpathSync(stat.isDirectory() ? root : dirname(root));
      starts.push({ path: root, isFolder: stat.isDirectory(), within });
    }
  }
  const pool = new FilePool(options.maxFileBytes, options.threads);
  try {
    await pool.walk(
      starts,
      (path, result) => {
        counts.files += result.scanned;
        counts.bytes += result.bytes;
        for (const file of result.files) {
          if (file.skipped) skip(file.path, file.skipped);
          else onFile(file);
        }
        report(path);
      },
      options.signal,
    );
    report('', true);
  } finally {
    await pool.close();
  }
}
