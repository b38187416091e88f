import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, PLATFORM_MIGRATIONS } from '../../../src/platform/store/sqlite/migrations';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { ManualClock, ManualTimers } from '../../support/clock';
import { admin, type EngineFixture, openTestEngine, snapshot, sqliteOf } from '../../support/engine';

let f: EngineFixture;
beforeEach(async () => {
  f = await openTestEngine();
});
afterEach(() => f.cleanup());

describe('usage written behind', () => {
  it('is on disk within the flush interval of a use even when a loaded event loop holds the timer back', async () => {
    // The timer never fires (ManualTimers, never advanced): a loop too busy to reach its timers.
    // The clock moves 1 ms a verification, so the bound is exact and the run cannot be slowed into failing.
    const clock = new ManualClock();
    const file = join(f.dir, 'busy.db');
    const engine = openSqliteEngine(file, { flushIntervalMs: 100, clock, timers: new ManualTimers() }).start();
    const root = await engine.ensureRootAccount();
    const { secret } = await engine.createKey(root.id, { label: 'Busy worker' }, admin);
    await engine.flush();
    const reader = new Database(file, { readonly: true });
    const onDisk = () => reader.prepare('SELECT coalesce(sum(count), 0) FROM key_usage_daily').pluck().get() as number;
    try {
      const used: number[] = [];
      let worstLag = 0;
      for (let i = 0; i < 3000; i++) {
        clock.advance(1);
        expect((await engine.verify(secret)).ok).toBe(true);
        used.push(clock.now());
        // The oldest use not on disk, as a kill -9 now would lose it.
        const lost = used[onDisk()];
        if (lost !== undefined) worstLag = Math.max(worstLag, clock.now() - lost);
      }
      expect(onDisk()).toBeGreaterThan(2800);
      // The interval, plus the few verifications that run while the batch commits (a few promise turns).
      expect(worstLag).toBeLessThanOrEqual(105);
    } finally {
      reader.close();
      await engine.close();
    }
  });
});

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

  it('makes a new database and its -wal and -shm files readable by their owner alone', async () => {
    await f.engine.createKey(f.rootId, { label: 'Written' }, admin);
    for (const file of [f.file, `${f.file}-wal`, `${f.file}-shm`]) {
      expect({ file, mode: (statSync(file).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });
    }
  });

  it('refuses a database whose schema is newer than this build knows', async () => {
    await f.engine.close();
    const db = new Database(f.file);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'from a later keyhold', '2027-01-01')").run();
    db.close();
    expect(() => openSqliteEngine(f.file)).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: `The database's schema is at version 999, newer than this keyhold knows (${PLATFORM_MIGRATIONS.length}): upgrade keyhold.`,
      }),
    );
    f.engine = openSqliteEngine(join(f.dir, 'fresh.db')); // so cleanup has something to close
  });

  it('refuses a file that is not a database with a clear error', async () => {
    const bogus = join(f.dir, 'notes.db');
    writeFileSync(bogus, 'these are my notes, not a database '.repeat(200));
    expect(() => openSqliteEngine(bogus)).toThrow(
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
      await openSqliteEngine(damaged).close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/damaged|malformed|not a database/),
    });
    f.engine = openSqliteEngine(join(f.dir, 'fresh.db')); // so cleanup has something to close
  });
});
