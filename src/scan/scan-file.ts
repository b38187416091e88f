// One file, read in chunks (a large file never sits in memory whole): its key hits, or why it was
// skipped. Synchronous: it runs in a worker thread, one file after another.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type KeyHit, KeyHitScanner } from './key-hits';

export type SkipReason = 'binary' | 'oversized' | 'unreadable';

export interface FileScan {
  path: string;
  bytes: number;
  hits: KeyHit[];
  skipped?: SkipReason;
}

const CHUNK = 1 << 20;
/** As git decides: a NUL byte in the first 8,000 bytes makes a file binary. */
const BINARY_PROBE = 8000;

export function scanFile(path: string, maxBytes: number): FileScan {
  let fd: number;
  let size: number;
  try {
    size = statSync(path).size;
    if (size > maxBytes) return { path, bytes: size, hits: [], skipped: 'oversized' };
    fd = openSync(path, 'r');
  } catch {
    return { path, bytes: 0, hits: [], skipped: 'unreadable' };
  }
  try {
    const scanner = new KeyHitScanner();
    const buffer = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      if (bytes === 0 && buffer.subarray(0, Math.min(read, BINARY_PROBE)).includes(0)) {
        return { path, bytes: size, hits: [], skipped: 'binary' };
      }
      bytes += read;
      // The scanner may keep a reference to the tail, so it gets its own copy of the chunk.
      scanner.push(Buffer.from(buffer.subarray(0, read)));
    }
    return { path, bytes, hits: scanner.end() };
  } catch {
    return { path, bytes: 0, hits: [], skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}
