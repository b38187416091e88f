// One file, read in chunks (a large file never sits in memory whole): its key hits, or why it was
// skipped. Synchronous: it runs in a worker thread, one file after another.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type KeyHit, KeyHitScanner } from './key-hits';

export type SkipReason = 'binary' | 'oversized' | 'unreadable';

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
/** As git decides: a NUL byte in the first 8,000 bytes makes a file binary. */
const BINARY_PROBE = 8000;

export function scanFile(path: string, maxBytes: number): FileScan {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { path, bytes: 0, hits: [], skipped: 'unreadable' };
  }
  try {
    const scanner = new KeyHitScanner();
    let bytes = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (bytes === 0) {
        // Most files fit one read; only a file that fills it is measured against the limit.
        if (read === CHUNK) {
          const size = fstatSync(fd).size;
          if (size > maxBytes) return { path, bytes: size, hits: [], skipped: 'oversized' };
        }
        if (buffer.subarray(0, Math.min(read, BINARY_PROBE)).includes(0)) {
          return { path, bytes: read, hits: [], skipped: 'binary' };
        }
      }
      bytes += read;
      // A short read is the end of a regular file: no extra call to learn it.
      const last = read < CHUNK;
      scanner.push(buffer.subarray(0, read), last);
      if (last) return { path, bytes, hits: scanner.end() };
    }
  } catch {
    return { path, bytes: 0, hits: [], skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}
