// On PostgreSQL too the platform keeps a SHA-256 of each key, never the key: after a checkpoint,
// scan every file of the cluster (tables, indexes, the write-ahead log) for every secret.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import type { PostgresStore } from '../../../src/platform/store/postgres/postgres-store';
import { type EngineFixture, keysThroughTheirLife, openTestEngine } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

/**
 * A file's bytes, or null if it is gone: the other test files run on the same cluster meanwhile,
 * and PostgreSQL removes and writes again cache files such as pg_internal.init (the relation cache,
 * dropped when a catalog changes) between the directory listing and the read.
 */
function bytesOf(path: string): string | null {
  try {
    return readFileSync(path).toString('latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

it('writes no full key, and no secret part of one, to any file of the cluster', async () => {
  const secrets = await keysThroughTheirLife(f, 50);
  await (f.engine.store as PostgresStore).pool.query('CHECKPOINT'); // the tables' pages are on disk now

  const data = join(inject('postgres').socketDir, 'data');
  let scanned = 0;
  let publicPartsSeen = false;
  for (const path of files(data)) {
    const raw = bytesOf(path);
    if (raw === null) continue;
    scanned += raw.length;
    for (const secret of secrets) {
      expect(raw.includes(secret), path).toBe(false);
      expect(raw.includes(secret.slice(12, 40)), path).toBe(false); // any long run of the secret part
    }
    publicPartsSeen ||= raw.includes(secrets[0]?.slice(3, 11) as string);
  }
  expect(scanned).toBeGreaterThan(1_000_000);
  expect(publicPartsSeen).toBe(true); // the public parts are there, as they should be
}, 60_000);
