// Reading git objects for keys: a git command's output streamed, and objects' contents through one
// `git cat-file --batch`, each scanned as it streams (a blob is never whole in memory). Shared by
// the history scan (history.ts) and the staged scan (git.ts).
import { gitSpawn } from './git-command';
import { type KeyHit, KeyHitScanner } from './key-hits';

/** Runs git with `input` and hands its output to `onChunk` as it comes; its exit code. */
export function stream(
  repo: string,
  args: string[],
  input: string,
  onChunk: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<number | null> {
  const child = gitSpawn(repo, args, input);
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

export interface Wanted {
  id: string;
  type: 'blob' | 'commit' | 'tag';
}

export interface Found {
  hits: KeyHit[];
  type: Wanted['type'];
}

/**
 * Reads the objects' contents through one `git cat-file --batch` and scans each as it streams
 * (a blob is never whole in memory): blobs whole, commits and tags from their message on.
 */
export async function scanObjects(repo: string, wanted: Wanted[], signal?: AbortSignal): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  const types = new Map(wanted.map((object) => [object.id, object.type]));
  let header = Buffer.alloc(0);
  let current: { id: string; left: number; scanner: KeyHitScanner; message: Buffer[] | null } | null = null;
  const finish = () => {
    if (!current) return;
    const type = types.get(current.id) ?? 'blob';
    let hits: KeyHit[];
    if (current.message) {
      // A commit's or tag's headers are git's; its message is the author's (line 1 is its subject).
      const raw = Buffer.concat(current.message);
      const start = raw.indexOf('\n\n');
      const scanner = new KeyHitScanner();
      scanner.push(start === -1 ? Buffer.alloc(0) : raw.subarray(start + 2), true);
      hits = scanner.end();
    } else hits = current.scanner.end();
    if (hits.length > 0) found.set(current.id, { hits, type });
    current = null;
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
        const line = Buffer.concat([header, chunk.subarray(at, newline)]).toString('latin1');
        header = Buffer.alloc(0);
        at = newline + 1;
        const [id, type, size] = line.split(' ');
        if (type === 'missing' || id === undefined) continue;
        // Each object's content is followed by a newline of git's: read as part of its size + 1.
        current = {
          id,
          left: Number(size) + 1,
          scanner: new KeyHitScanner(),
          message: type === 'blob' ? null : [],
        };
        continue;
      }
      const take = Math.min(current.left, chunk.length - at);
      const content = take === current.left ? take - 1 : take; // never git's trailing newline
      const piece = chunk.subarray(at, at + content);
      if (current.message) current.message.push(Buffer.from(piece));
      else if (piece.length > 0) current.scanner.push(piece);
      current.left -= take;
      at += take;
      if (current.left === 0) finish();
    }
  };
  await stream(repo, ['cat-file', '--batch'], `${wanted.map((object) => object.id).join('\n')}\n`, onChunk, signal);
  finish();
  return found;
}
