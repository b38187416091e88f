// One folder of a scan, in a worker thread: its files scanned, its subfolders handed back to be
// queued (so every worker walks as well as reads, and a deep tree spreads over all of them).
// Never follows a symbolic link (nothing outside the root is read, nothing twice): links are
// named as skipped. FIFOs, sockets and devices are named as skipped and never opened. `.git`
// folders are left to the history scan.
import { type Dirent, lstatSync, readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { type FileScan, scanFile } from './scan-file';
import type { ScanTask } from './scan-worker';

export interface FolderScan {
  scanned: number;
  bytes: number;
  /** Only files with a hit or skipped (links, special files, an unreadable folder among them): most have neither. */
  files: FileScan[];
  folders: string[];
}

export function scanPath({ path, isFolder, maxBytes, within }: Omit<ScanTask, 'id'>): FolderScan {
  const result: FolderScan = {
    scanned: 0,
    bytes: 0,
    files: [],
    folders: [],
  };
  const skip = (skipped: FileScan['skipped'], at: string) =>
    result.files.push({ path: at, bytes: 0, hits: [], skipped });
  const add = (file: FileScan) => {
    if (!file.skipped) {
      result.scanned++;
      result.bytes += file.bytes;
    }
    if (file.skipped || file.hits.length > 0) result.files.push(file);
  };
  if (!isFolder) {
    add(scanFile(path, maxBytes, within));
    return result;
  }
  let entries: Dirent[];
  try {
    // The walk saw a folder here; if it is a link now, it was swapped since: not followed.
    if (lstatSync(path).isSymbolicLink()) {
      skip('symlinks', path);
      return result;
    }
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    skip('unreadable', path);
    return result;
  }
  // A name from readdir has no separator and the folder's path is already normal: path.join
  // would only cost time (about 1 µs a file).
  const prefix = path.endsWith(sep) ? path : path + sep;
  for (const entry of entries) {
    const child = prefix + entry.name;
    if (entry.isSymbolicLink()) skip('symlinks', child);
    else if (entry.isDirectory()) {
      if (entry.name !== '.git') result.folders.push(child);
    } else if (entry.isFile()) add(scanFile(child, maxBytes, within));
    else skip('special', child);
  }
  return result;
}
