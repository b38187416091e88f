// A real engine on a real store with a clock the test moves: a SQLite file in a fresh temporary
// folder, or (KEYHOLD_TEST_STORE=postgres) a fresh database on the test PostgreSQL cluster.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type EngineOptions, KeyEngine } from '../../src/platform/engine';
import type { PlatformStore } from '../../src/platform/store/port';
import { PostgresStore } from '../../src/platform/store/postgres/postgres-store';
import type { Db } from '../../src/platform/store/sqlite/database';
import { SqliteStore } from '../../src/platform/store/sqlite/sqlite-store';
import type { Actor } from '../../src/shared/domain';
import { ManualClock } from './clock';
import { pgUrl } from './postgres';

/** The store the suite runs on: the postgres project sets it (vitest.config.mts). */
export const TEST_STORE = process.env.KEYHOLD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The test cluster's `postgres` database, where each fixture makes a schema of its own. */
export const testPostgresUrl = (database = 'postgres') => pgUrl(inject('postgres'), database);

let adminConnection: pg.Pool | null = null;
const adminPool = () => {
  adminConnection ??= new pg.Pool({ connectionString: testPostgresUrl(), max: 2 });
  return adminConnection;
};

/** A fresh database on the test cluster (for server processes, which take a URL), and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `db_${randomBytes(6).toString('hex')}`;
  await adminPool().query(`CREATE DATABASE ${name}`);
  return {
    url: testPostgresUrl(name),
    drop: async () => void (await adminPool().query(`DROP DATABASE ${name} WITH (FORCE)`)),
  };
}

/** A fresh schema on the test cluster, and how to drop it. */
async function freshSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminPool().query(`CREATE SCHEMA ${schema}`);
  return { schema, drop: async () => void (await adminPool().query(`DROP SCHEMA ${schema} CASCADE`)) };
}

export const admin: Actor = { kind: 'user', name: 'tester' };

export interface EngineFixture {
  engine: KeyEngine;
  clock: ManualClock;
  dir: string;
  /** The SQLite file (empty on PostgreSQL). */
  file: string;
  rootId: string;
  /** Closes the engine and opens another on the same store. */
  reopen(options?: EngineOptions): Promise<KeyEngine>;
  /** A second engine on the same store, as another process would have. */
  another(options?: EngineOptions): Promise<KeyEngine>;
  cleanup(): Promise<void>;
}

export async function openTestEngine(options: EngineOptions = {}): Promise<EngineFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-engine-'));
  const file = join(dir, 'keyhold.db');
  const clock = new ManualClock();
  const postgres = TEST_STORE === 'postgres' ? await freshSchema() : null;
  const openStore = async (): Promise<PlatformStore> =>
    postgres
      ? PostgresStore.connect(testPostgresUrl(), { schema: postgres.schema, poolSize: 4 })
      : SqliteStore.open(file);
  const open = async (more: EngineOptions = {}) =>
    new KeyEngine(await openStore(), { clock, flushIntervalMs: 0, ...options, ...more });
  const others: KeyEngine[] = [];
  let cleaned = false;
  const fixture: EngineFixture = {
    engine: await open(),
    clock,
    dir,
    file,
    rootId: '',
    async reopen(more = {}) {
      await fixture.engine.close();
      fixture.engine = await open(more);
      return fixture.engine;
    },
    async another(more = {}) {
      const engine = await open(more);
      others.push(engine);
      return engine;
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      for (const engine of [...others, fixture.engine]) await engine.close();
      await postgres?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  fixture.rootId = (await fixture.engine.ensureRootAccount('Acme')).id;
  return fixture;
}

/** Every row of every table, to prove that a refused change changed nothing. */
export async function snapshot(engine: KeyEngine): Promise<string> {
  await engine.flush();
  if (engine.store instanceof PostgresStore) {
    const { pool } = engine.store;
    const tables = await pool.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
    );
    const dump = [];
    for (const { name } of tables.rows) {
      dump.push([name, (await pool.query(`SELECT * FROM "${name}" t ORDER BY t::text`)).rows]);
    }
    return JSON.stringify(dump);
  }
  const db = sqliteOf(engine);
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return JSON.stringify(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]));
}

/** The SQLite connection under an engine on a SQLite store, for tests that read the file itself. */
export const sqliteOf = (engine: KeyEngine): Db => (engine.store as SqliteStore).db;

/** Keys created, used, some renamed and some revoked, then flushed: their secrets, to look for at rest. */
export async function keysThroughTheirLife(f: EngineFixture, count: number): Promise<string[]> {
  const secrets: string[] = [];
  for (let i = 0; i < count; i++) {
    const { key, secret } = await f.engine.createKey(f.rootId, { label: `Scanned key ${i}` }, admin);
    secrets.push(secret);
    await f.engine.verify(secret);
    if (i % 5 === 0) await f.engine.updateKey(null, key.id, { label: `Renamed key ${i}` }, admin);
    if (i % 7 === 0) await f.engine.revokeKey(null, key.id, admin);
  }
  await f.engine.flush();
  return secrets;
}
