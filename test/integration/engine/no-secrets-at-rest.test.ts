// The platform keeps a SHA-256 of each key, never the key: scan the raw database file and its
// write-ahead log for every secret created and used.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type EngineFixture, keysThroughTheirLife, openTestEngine } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

it('writes no full key, and no secret part of one, to the database file or its -wal', async () => {
  const secrets = await keysThroughTheirLife(f, 50);

  const files = [f.file, `${f.file}-wal`].filter((path) => existsSync(path));
  expect(files).toContain(`${f.file}-wal`); // the log holds the recent writes: scan it too
  for (const path of files) {
    const raw = readFileSync(path).toString('latin1');
    for (const secret of secrets) {
      expect(raw.includes(secret)).toBe(false);
      expect(raw.includes(secret.slice(12, 40))).toBe(false); // any long run of the secret part
    }
  }
  // The public parts are there, as they should be.
  expect(readFileSync(`${f.file}-wal`).toString('latin1')).toContain(secrets[0]?.slice(3, 11));
});
