// keyhold migrate and keyhold serve on PostgreSQL as an operator runs them: explicit migrations,
// a database whose schema is newer than the build refused, the URL's password never printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../../src/platform/store/postgres/migrations';
import { freshDatabase } from '../../support/engine';
import { keyholdSync, startServerProcess } from '../../support/serve-process';

const cwd = mkdtempSync(join(tmpdir(), 'keyhold-pgcli-'));
const LATEST = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
let database: { url: string; drop: () => Promise<void> } | null = null;
afterEach(async () => {
  await database?.drop();
  database = null;
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const keyhold = (args: string[], env: NodeJS.ProcessEnv = process.env) => keyholdSync(args, { cwd, env });

describe('keyhold migrate', () => {
  it('lists pending migrations with --check, applies them once, then has nothing to do', async () => {
    database = await freshDatabase();
    const check = keyhold(['migrate', '--database-url', database.url, '--check']);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(`at version 0; pending: ${POSTGRES_MIGRATIONS.map((m) => m.version).join(', ')}.`);

    const applied = keyhold(['migrate', '--database-url', database.url]);
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain(
      `applied ${POSTGRES_MIGRATIONS.map((m) => m.version).join(', ')}; the schema is at version ${LATEST}.`,
    );
    // DATABASE_URL works as the flag does.
    const again = keyhold(['migrate'], { ...process.env, DATABASE_URL: database.url });
    expect(again.stdout).toContain(`the schema is up to date (version ${LATEST}).`);
  }, 30_000);

  it('refuses --db with --database-url, and a URL that is not PostgreSQL', () => {
    const both = keyhold(['migrate', '--db', 'x.db', '--database-url', 'postgres://localhost/x']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give --db or --database-url, not both');
    const other = keyhold(['serve', '--database-url', 'mysql://localhost/x']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('--database-url must start with postgres:// or postgresql://');
  }, 30_000);
});

describe('keyhold serve --database-url', () => {
  it('refuses to start on a database whose schema is newer than it knows', async () => {
    database = await freshDatabase();
    expect(keyhold(['migrate', '--database-url', database.url]).status).toBe(0);
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    await pool.query("INSERT INTO schema_migrations VALUES (999, 'from a later keyhold', now()::text)");
    await pool.end();
    const refused = keyhold(['serve', '--database-url', database.url, '--port', '0']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `schema is at version 999, newer than this keyhold knows (${LATEST}): upgrade keyhold`,
    );
  }, 30_000);

  it('names the database without its password, in what it prints and in a failure', async () => {
    database = await freshDatabase();
    const withPassword = database.url.replace('postgresql://keyhold@', 'postgresql://keyhold:hunter2-secret@');
    const server = await startServerProcess(['--database-url', withPassword], { cwd });
    await server.stop('SIGTERM');
    expect(server.output()).toContain('postgresql://keyhold:***@/');
    expect(server.output()).not.toContain('hunter2-secret');

    const unreachable = keyhold(['serve', '--database-url', 'postgresql://keyhold:hunter2-secret@127.0.0.1:1/none']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain(
      'Cannot open the PostgreSQL database postgresql://keyhold:***@127.0.0.1:1/none',
    );
    expect(unreachable.stderr).not.toContain('hunter2-secret');
  }, 30_000);
});
