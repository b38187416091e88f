import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyEngine } from '../../../src/platform/engine';
import { migrate, PLATFORM_MIGRATIONS } from '../../../src/platform/store/migrations';
import { admin, type EngineFixture, openTestEngine, snapshot } from '../../support/engine';

let f: EngineFixture;
beforeEach(() => {
  f = openTestEngine();
});
afterEach(() => f.cleanup());

describe('the database file', () => {
  it('keeps everything across a reopen and does not re-apply migrations', () => {
    const eu = f.engine.createSubaccount(f.rootId, { name: 'EU' });
    const { key, secret } = f.engine.createKey(
      eu.id,
      { label: 'Durable key', expires_at: '2027-01-01T00:00:00Z' },
      admin,
    );
    f.engine.verify(secret);
    f.engine.revokeKey(null, key.id, admin);
    f.engine.flush();
    const before = snapshot(f.engine);

    const reopened = f.reopen();
    expect(snapshot(reopened)).toBe(before);
    expect(reopened.getKey(null, key.id)).toMatchObject({
      status: 'revoked',
      last_used_at: '2026-06-01T12:00:00.000Z',
    });
    expect(reopened.db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(
      PLATFORM_MIGRATIONS.map((m) => m.version),
    );
    expect(migrate(reopened.db, PLATFORM_MIGRATIONS)).toEqual([]);
  });

  it('runs in WAL mode with foreign keys on and a busy timeout', () => {
    expect(f.engine.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(f.engine.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(f.engine.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('refuses a file that is not a database with a clear error', () => {
    const bogus = join(f.dir, 'notes.db');
    writeFileSync(bogus, 'these are my notes, not a database '.repeat(200));
    expect(() => KeyEngine.open(bogus)).toThrow(
      expect.objectContaining({
        code: 'unavailable',
        message: expect.stringMatching(/^Cannot open the database .*notes\.db: /),
      }),
    );
  });

  it('refuses a damaged database with the quick_check verdict', () => {
    for (let i = 0; i < 200; i++) f.engine.createKey(f.rootId, { label: `Filler key ${i}` }, admin);
    f.engine.close();
    // Scribble over the middle of the file, where the table pages are.
    const damaged = join(f.dir, 'keyhold.db');
    const bytes = readFileSync(damaged);
    bytes.fill(0x55, 4096 * 3, 4096 * 6);
    writeFileSync(damaged, bytes);
    let error: unknown;
    try {
      KeyEngine.open(damaged).close();
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
