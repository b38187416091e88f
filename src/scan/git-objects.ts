// Reading git objects for keys: a git command's output streamed, and objects' contents through one
// `git cat-file --batch`, each scanned as it streams (a blob is never whole in memory). Shared by
// the history scan (history.ts) and the staged scan (git.ts).
import type { Readable } from 'node:stream';
import { gitSpawn, gitSpawnFrom } from './git-command';
import { type KeyHit, KeyHitScanner } from './key-hits';

/** Runs git with `input` and hands its output to `onChunk` as it comes; its exit code. */
export function stream(
  repo: string,
  args: string[],
  input: string | Readable,
  onChunk: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<number | null> {
  const child = typeof input === 'string' ? gitSpawn(repo, args, input) : gitSpawnFrom(repo, args, input);
  const stop = () => child.kill();
  signal?.addEventListener('abort', stop, { once: true });
  child.stdout.on('data', onChunk);
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`git is not available: ${error.message}`)));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', stop);
      resolve(code);
    });
  });
}

export type ObjectType = 'blob' | 'commit' | 'tag';

export interface Found {
  hits: KeyHit[];
  type: ObjectType;
}

/** What a read of objects left out: objects git does not have, blobs over the size limit. */
export interface ObjectSkips {
  missing: number;
  oversized: number;
}

/**
 * Reads objects through one `git cat-file --batch` fed `ids` (one per line: a string, or another
 * git's output piped in) and scans each as it streams: blobs whole (up to `maxBytes`), commits and
 * tags from their message on; trees are passed over. The objects that hold a key, by id.
 */
export async function scanObjects(
  repo: string,
  ids: string | Readable,
  maxBytes: number,
  skips: ObjectSkips,
  signal?: AbortSignal,
): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  let header = Buffer.alloc(0);
  let current: {
    id: string;
    type: ObjectType | null;
    left: number;
    scanner: KeyHitScanner | null;
    message: Buffer[] | null;
  } | null = null;
  const finish = () => {
    if (!current?.type) {
      current = null;
      return;
    }
    let hits: KeyHit[];
    if (current.message) {
      // A commit's or tag's headers are git's; its message is the author's (line 1 is its subject).
      const raw = Buffer.concat(current.message);
      const start = raw.indexOf('\n\n');
      const scanner = new KeyHitScanner();
      scanner.push(start === -1 ? Buffer.alloc(0) : raw.subarray(start + 2), true);
      hits = scanner.end();
    } else hits = current.scanner?.end() ?? [];
    if (hits.length > 0) found.set(current.id, { hits, type: current.type });
    current = null;
  };
  const begin = (line: string) => {
    const [id = '', kind, size] = line.split(' ');
    if (kind === 'missing') {
      skips.missing++;
      return;
    }
    const bytes = Number(size);
    let type: ObjectType | null = kind === 'blob' || kind === 'commit' || kind === 'tag' ? kind : null;
    if (type === 'blob' && bytes > maxBytes) {
      skips.oversized++;
      type = null;
    }
    // Each object's content is followed by a newline of git's: read as part of its size + 1.
    current = {
      id,
      type,
      left: bytes + 1,
      scanner: type === 'blob' ? new KeyHitScanner() : null,
      message: type === 'blob' ? null : [],
    };
  };
  const onChunk = (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      if (current === null) {
        const newline = chunk.indexOf(10, at);
        if (newline === -1) {
          header = Buffer.concat([header, chunk.subarray(at)]);
          return;
        }
        begin(Buffer.concat([header, chunk.subarray(at, newline)]).toString('latin1'));
        header = Buffer.alloc(0);
        at = newline + 1;
        continue;
      }
      const take = Math.min(current.left, chunk.length - at);
      const last = take === current.left;
      const content = last ? take - 1 : take; // never git's trailing newline
      if (current.type !== null && (content > 0 || last)) {
        const piece = chunk.subarray(at, at + content);
        if (current.message) current.message.push(Buffer.from(piece));
        // An object's last bytes go in as its final push: one pass for an object read in one piece.
        else current.scanner?.push(piece, last);
      }
      current.left -= take;
      at += take;
      if (current.left === 0) finish();
    }
  };
  // --buffer: git writes in large blocks, not an object at a time (a third less time on a big history).
  await stream(repo, ['cat-file', '--batch', '--buffer'], ids, onChunk, signal);
  finish();
  return found;
}
