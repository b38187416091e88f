// One file, read in chunks (a large file never sits in memory whole): its key hits, or why it was
// skipped. Binary files are read too: a key is ASCII wherever it sits (an image's metadata, a
// compiled bundle, a SQLite file), and the checksum keeps noise from passing for one. Synchronous: it runs in a worker thread, one file after another.
// The file may have changed since the walk saw it: it is opened without following a link and
// without blocking (a FIFO swapped in), stopped when it turns out not to be a regular file, and its
// hits count only if the file opened is inside the folder walked.
import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import type { SkipReason } from '../shared/scan/findings';
import { type KeyHit, KeyHitScanner } from './key-hits';
import { isInside } from './paths';

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows, where neither a FIFO nor this race applies.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface FileScan {
  path: string;
  bytes: number;
  hits: KeyHit[];
  skipped?: SkipReason;
}

const CHUNK = 1 << 20;
// One read buffer per thread, reused for every file: the scanner copies only the few bytes it
// keeps between chunks.
const buffer = Buffer.allocUnsafe(CHUNK);

export function scanFile(path: string, maxBytes: number, within: string): FileScan {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    // ELOOP: the file is a link now (swapped since the walk).
    const link = (error as NodeJS.ErrnoException).code === 'ELOOP';
    return { path, bytes: 0, hits: [], skipped: link ? 'symlinks' : 'unreadable' };
  }
  try {
    const scanner = new KeyHitScanner();
    let bytes = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      // Most files fit one read: only a file that fills it is looked at (a stat call per file was
      // a tenth of a scan's system time). The walk saw a regular file; one swapped since for a
      // device fills the buffer and is stopped here; a FIFO's read fails (opened without blocking),
      // a directory's too.
      if (bytes === 0 && read === CHUNK) {
        const stat = fstatSync(fd);
        if (!stat.isFile()) return { path, bytes: 0, hits: [], skipped: 'special' };
        if (stat.size > maxBytes) return { path, bytes: stat.size, hits: [], skipped: 'oversized' };
      }
      bytes += read;
      // A short read is the end of a regular file: no extra call to learn it.
      const last = read < CHUNK;
      scanner.push(buffer.subarray(0, read), last);
      if (last) {
        const hits = scanner.end();
        // Checked only when there is something to report: a clean file costs nothing more.
        if (hits.length > 0 && !openedInside(fd, path, within))
          return { path, bytes: 0, hits: [], skipped: 'symlinks' };
        return { path, bytes, hits };
      }
    }
  } catch {
    return { path, bytes: 0, hits: [], skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the file open on `fd` is inside `within`. Linux names an open file's real path in
 * /proc; elsewhere the path's real place must be inside and be the very file that is open.
 */
function openedInside(fd: number, path: string, within: string): boolean {
  try {
    if (process.platform === 'linux') return isInside(within, readlinkSync(`/proc/self/fd/${fd}`));
    const real = realpathSync(path);
    const open = fstatSync(fd);
    const named = statSync(real);
    return isInside(within, real) && open.ino === named.ino && open.dev === named.dev;
  } catch {
    return false;
  }
}
