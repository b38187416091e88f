// The scan's threads on a real tree: the same answer from this thread alone and with workers, and
// an abort that stops queuing folders and still resolves with what was done.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPaths } from '../../src/scan/scan';
import { generateKey } from '../../src/shared/key-format';

const FOLDERS = 40;
const FILES_PER_FOLDER = 25;
const ROOT_FILES = 5;
const ALL_FILES = FOLDERS * FILES_PER_FOLDER + ROOT_FILES;
let root: string;
const planted: string[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'keyhold-pool-'));
  for (let i = 0; i < ROOT_FILES; i++) writeFileSync(join(root, `top${i}.md`), 'no keys here\n');
  for (let f = 0; f < FOLDERS; f++) {
    const folder = join(root, `pkg${f}`, 'deep', 'src');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < FILES_PER_FOLDER; i++) {
      let text = `line one\nconst value = ${f * i};\n`;
      if (i === 7) {
        const id = (0x10000000 + f).toString(16);
        planted.push(id);
        text += `KEY=${generateKey(id, (n) => Buffer.alloc(n, f))}\n`;
      }
      writeFileSync(join(folder, `file${i}.ts`), text);
    }
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const scan = (threads: number, signal?: AbortSignal, onProgress?: () => void) =>
  scanPaths({ paths: [root], gitHistory: false, staged: false, maxFileBytes: 1 << 20, threads, signal, onProgress });

describe('the scan threads', () => {
  it('answer the same from this thread alone and with two workers', async () => {
    const alone = await scan(1);
    const pooled = await scan(3);
    const ids = (hits: Array<{ publicId: string }>) => hits.map((hit) => hit.publicId).sort();
    expect(alone.counts.files).toBe(ALL_FILES);
    expect(pooled.counts).toEqual(alone.counts);
    expect(ids(alone.hits)).toEqual([...planted].sort());
    expect(ids(pooled.hits)).toEqual(ids(alone.hits));
    expect(alone.hits.find((hit) => hit.publicId === planted[0])).toMatchObject({ line: 3, column: 5 });
  });

  it('stop queuing folders on abort and resolve with what was scanned', async () => {
    const abort = new AbortController();
    abort.abort();
    const stopped = await scan(2, abort.signal);
    // The roots are queued before the first check; nothing under them is.
    expect(stopped.counts.files).toBe(0);

    // Aborted on the first progress report, which comes with the root's answer: its own files
    // are scanned, none of its subfolders is.
    const midway = new AbortController();
    const partial = await scan(1, midway.signal, () => midway.abort());
    expect(partial.counts.files).toBe(ROOT_FILES);
  });
});
