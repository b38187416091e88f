// The files under a root, depth first. Never follows a symbolic link (so nothing outside the root
// is read and nothing is read twice): links are counted as skipped. `.git` folders are left to
// the history scan.
import { type Dirent, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkedFile {
  path: string;
  size: number;
}

export interface WalkCounts {
  symlinks: number;
  unreadableFolders: number;
}

export function* walkFiles(root: string, counts: WalkCounts, signal?: AbortSignal): Generator<WalkedFile> {
  let rootStat: ReturnType<typeof lstatSync>;
  try {
    rootStat = lstatSync(root);
  } catch {
    counts.unreadableFolders++;
    return;
  }
  if (rootStat.isFile()) {
    yield { path: root, size: rootStat.size };
    return;
  }
  const folders = [root];
  while (folders.length > 0) {
    if (signal?.aborted) return;
    const folder = folders.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      counts.unreadableFolders++;
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) counts.symlinks++;
      else if (entry.isDirectory()) {
        if (entry.name !== '.git') folders.push(path);
      } else if (entry.isFile()) {
        let size = 0;
        try {
          size = lstatSync(path).size;
        } catch {
          // Gone since the listing: the worker reports it unreadable.
        }
        yield { path, size };
      }
    }
  }
}
