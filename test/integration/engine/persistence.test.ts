import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyEngine } from '../../../src/platform/engine';
import { migrate, PLATFORM_MIGRATIONS } from '../../../src/platform/store/sqlite/migrations';
import { admin, type EngineFixture, openTestEngine, snapshot, sqliteOf } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

describe('the database file', () => {
  it('keeps everything across a reopen and does not re-apply migrations', async () => {
    const eu = await f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const { key, secret } = await f.engine.createKey(
      eu.id,
      { label: 'Durable key', expires_at: '2027-01-01T00:00:00Z' },
      admin,
    );
    await f.engine.verify(secret);
    await f.engine.revokeKey(null, key.id, admin);
    await f.engine.flush();
    const before = await snapshot(f.engine);

    const reopened = await f.reopen();
    expect(await snapshot(reopened)).toBe(before);
    expect(await reopened.getKey(null, key.id)).toMatchObject({
      status: 'revoked',
      last_used_at: '2026-06-01T12:00:00.000Z',
    });
    expect(sqliteOf(reopened).prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(
      PLATFORM_MIGRATIONS.map((m) => m.version),
    );
    expect(migrate(sqliteOf(reopened), PLATFORM_MIGRATIONS)).toEqual([]);
  });

  it('runs in WAL mode with foreign keys on and a busy timeout', async () => {
    expect(sqliteOf(f.engine).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteOf(f.engine).pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqliteOf(f.engine).pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('refuses a database whose schema is newer than this build knows', async () => {
    await f.engine.close();
    const db = new Database(f.file);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'from a later keyhold', '2027-01-01')").run();
    db.close();
    expect(() => KeyEngine.open(f.file)).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: `The database's schema is at version 999, newer than this keyhold knows (${PLATFORM_MIGRATIONS.length}): upgrade keyhold.`,
      }),
    );
    f.engine = KeyEngine.open(join(f.dir, 'fresh.db')); // so cleanup has something to close
  });

  it('refuses a file that is not a database with a clear error', async () => {
    const bogus = join(f.dir, 'notes.db');
    writeFileSync(bogus, 'these are my notes, not a database '.repeat(200));
    expect(() => KeyEngine.open(bogus)).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: expect.stringMatching(/^Cannot open the database .*notes\.db: /),
      }),
    );
  });

  it('refuses a damaged database with the quick_check verdict', async () => {
    for (let i = 0; i < 200; i++) await f.engine.createKey(f.rootId, { label: `Filler key ${i}` }, admin);
    await f.engine.close();
    // Scribble over the middle of the file, where the table pages are.
    const damaged = join(f.dir, 'keyhold.db');
    const bytes = readFileSync(damaged);
    bytes.fill(0x55, 4096 * 3, 4096 * 6);
    writeFileSync(damaged, bytes);
    let error: unknown;
    try {
      await KeyEngine.open(damaged).close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/damaged|malformed|not a database/),
    });
    f.engine = KeyEngine.open(join(f.dir, 'fresh.db')); // so cleanup has something to close
  });
});
