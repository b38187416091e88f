// A leak scan: the files under the given paths (in worker threads, one per core), and for each
// git repository they are in, its history (--git-history) or only what is staged (--staged),
// and the secret-bearing files it tracks or does not ignore. Answers raw hits; what they mean is
// decided with the inventory by shared/scan/findings.ts.
import { dirname, join, relative, resolve } from 'node:path';
import type { RawKeyHit } from '../shared/scan/findings';
import { FilePool } from './file-pool';
import {
  type DiffHit,
  type ExposedFile,
  exposedSecretFiles,
  historyKeyHits,
  repositoryOf,
  stagedKeyHits,
  stagedSecretFiles,
} from './git';
import type { FileScan } from './scan-file';
import { type WalkCounts, walkFiles } from './walk';

export interface ScanOptions {
  paths: string[];
  /** Paths in the answer are relative to this folder. */
  cwd: string;
  gitHistory: boolean;
  /** Only what is staged in each repository, for a pre-commit hook. */
  staged: boolean;
  maxFileBytes: number;
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
  phase: 'files' | 'history' | 'staged';
  files: number;
  bytes: number;
  /** The folder being read, relative to cwd. */
  folder: string;
}

export interface ScanCounts {
  files: number;
  bytes: number;
  skipped: { binary: number; oversized: number; unreadable: number; symlinks: number };
  repositories: string[];
}

export interface RawScan {
  hits: RawKeyHit[];
  exposed: ExposedFile[];
  counts: ScanCounts;
}

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;
const BATCH_FILES = 128;
const BATCH_BYTES = 8 * 1024 * 1024;
const PROGRESS_EVERY_MS = 100;

export async function scanPaths(options: ScanOptions): Promise<RawScan> {
  const roots = (options.paths.length > 0 ? options.paths : ['.']).map((path) => resolve(options.cwd, path));
  const shown = (path: string) => relative(options.cwd, path) || '.';
  const repositories = [...new Set(roots.map((root) => repositoryOf(root) ?? repositoryOf(dirname(root))))].filter(
    (repo): repo is string => repo !== null,
  );
  const counts: ScanCounts = {
    files: 0,
    bytes: 0,
    skipped: { binary: 0, oversized: 0, unreadable: 0, symlinks: 0 },
    repositories: repositories.map(shown),
  };
  const hits: RawKeyHit[] = [];
  const exposed: ExposedFile[] = [];
  const fromRepo = (repo: string, path: string) => shown(join(repo, path));
  const diffHit = (repo: string, origin: 'history' | 'staged') => (hit: DiffHit) =>
    hits.push({
      publicId: hit.publicId,
      valid: hit.valid,
      origin,
      path: fromRepo(repo, hit.path),
      line: hit.line,
      column: hit.column,
      commit: hit.commit,
      author_date: hit.authorDate,
    });

  if (options.staged) {
    for (const repo of repositories) {
      options.onProgress?.({ phase: 'staged', files: 0, bytes: 0, folder: shown(repo) });
      (await stagedKeyHits(repo, options.signal)).forEach(diffHit(repo, 'staged'));
      exposed.push(...stagedSecretFiles(repo).map((file) => ({ ...file, path: fromRepo(repo, file.path) })));
    }
    return { hits, exposed, counts };
  }

  await scanFiles(roots, options, counts, (file) => {
    for (const hit of file.hits) {
      hits.push({ ...hit, origin: 'file', path: shown(file.path), commit: null, author_date: null });
    }
  });
  for (const repo of repositories) {
    if (options.signal?.aborted) break;
    exposed.push(...exposedSecretFiles(repo).map((file) => ({ ...file, path: fromRepo(repo, file.path) })));
    if (options.gitHistory) {
      options.onProgress?.({ phase: 'history', files: counts.files, bytes: counts.bytes, folder: shown(repo) });
      (await historyKeyHits(repo, options.signal)).forEach(diffHit(repo, 'history'));
    }
  }
  return { hits, exposed, counts };
}

/** Walks the roots and scans their files in the pool, a bounded number of batches at a time. */
async function scanFiles(
  roots: string[],
  options: ScanOptions,
  counts: ScanCounts,
  onFile: (file: FileScan) => void,
): Promise<void> {
  const pool = new FilePool(options.maxFileBytes, options.workers);
  const walkCounts: WalkCounts = { symlinks: 0, unreadableFolders: 0 };
  const inFlight = new Set<Promise<void>>();
  let lastProgress = 0;
  let folder = '';
  let failure: Error | null = null;
  const report = (force = false) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastProgress < PROGRESS_EVERY_MS)) return;
    lastProgress = now;
    options.onProgress({ phase: 'files', files: counts.files, bytes: counts.bytes, folder });
  };
  const submit = (paths: string[]) => {
    const task = pool.scan(paths).then((files) => {
      for (const file of files) {
        if (file.skipped) counts.skipped[file.skipped]++;
        else {
          counts.files++;
          counts.bytes += file.bytes;
        }
        onFile(file);
      }
      report();
    });
    const tracked: Promise<void> = task
      .catch((error: Error) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  try {
    let batch: string[] = [];
    let batchBytes = 0;
    walk: for (const root of roots) {
      for (const file of walkFiles(root, walkCounts, options.signal)) {
        batch.push(file.path);
        batchBytes += Math.min(file.size, options.maxFileBytes);
        if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
          folder = relative(options.cwd, dirname(file.path)) || '.';
          submit(batch);
          batch = [];
          batchBytes = 0;
          // Bounded: the walk waits while every worker has two batches queued.
          while (inFlight.size >= pool.size * 2) await Promise.race(inFlight);
        }
        if (options.signal?.aborted || failure) break walk;
      }
    }
    if (batch.length > 0 && !options.signal?.aborted) submit(batch);
    await Promise.all(inFlight);
    if (failure) throw failure;
    counts.skipped.symlinks = walkCounts.symlinks;
    counts.skipped.unreadable += walkCounts.unreadableFolders;
    report(true);
  } finally {
    await pool.close();
  }
}
