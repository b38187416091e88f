// A database made before labels were folded for search (SQLite schema 4, PostgreSQL schema 1) is
// upgraded with its keys' folded labels filled in, so a search finds the keys it already held.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyEngine } from '../../../src/platform/engine';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../src/platform/store/postgres/migrations';
import { PostgresStore } from '../../../src/platform/store/postgres/postgres-store';
import { openDatabase } from '../../../src/platform/store/sqlite/database';
import { PLATFORM_MIGRATIONS } from '../../../src/platform/store/sqlite/migrations';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import { ManualClock } from '../../support/clock';
import { freshDatabase, TEST_STORE } from '../../support/engine';

const ROOT = ['acc_00000000000000aa', null, 'Acme', 'active', 0, 0];
const KEY = [
  'key_00000000000000aa',
  '0a1b2c3d',
  'acc_00000000000000aa',
  'ÜBERSEE Zahlung',
  Buffer.alloc(32),
  'active',
  0,
  0,
];
const INSERT_ROOT = 'INSERT INTO accounts (id, parent_id, name, status, created_at, updated_at) VALUES';
const INSERT_KEY =
  'INSERT INTO api_keys (id, public_id, account_id, label, secret_hash, status, created_at, updated_at) VALUES';

async function searched(engine: KeyEngine): Promise<string[]> {
  const found = await engine.listKeys(null, { q: 'übersee', include_subaccounts: true });
  return found.data.map((key) => key.id);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('labels folded for search, on an upgraded database', () => {
  it.runIf(TEST_STORE === 'sqlite')('SQLite: migration 5 fills label_search for the keys already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-upgrade-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'keyhold.db');
    const old = openDatabase(file, { migrations: PLATFORM_MIGRATIONS.filter((m) => m.version <= 4) });
    old.prepare(`${INSERT_ROOT} (?, ?, ?, ?, ?, ?)`).run(...ROOT);
    old.prepare(`${INSERT_KEY} (?, ?, ?, ?, ?, ?, ?, ?)`).run(...KEY);
    old.close();
    const engine = openSqliteEngine(file, { clock: new ManualClock() });
    cleanups.push(() => engine.close());
    expect(await searched(engine)).toEqual([KEY[0]]);
  });

  it.runIf(TEST_STORE === 'postgres')(
    'PostgreSQL: migration 2 fills label_search for the keys already there',
    async () => {
      const database = await freshDatabase();
      cleanups.push(database.drop);
      const pool = new pg.Pool({ connectionString: database.url, max: 1 });
      await migratePostgres(pool, { apply: true, migrations: POSTGRES_MIGRATIONS.filter((m) => m.version <= 1) });
      await pool.query(`${INSERT_ROOT} ($1, $2, $3, $4, $5, $6)`, ROOT);
      await pool.query(`${INSERT_KEY} ($1, $2, $3, $4, $5, $6, $7, $8)`, KEY);
      await pool.end();
      const engine = new KeyEngine(await PostgresStore.connect(database.url), { clock: new ManualClock() });
      cleanups.push(() => engine.close());
      expect(await searched(engine)).toEqual([KEY[0]]);
    },
  );
});
