// `keyhold serve` runs the platform's HTTP server; `keyhold create-admin-key` makes a key on the
// root account and prints it once; `keyhold migrate` brings a database's schema up to date.
// Each works on a SQLite file (--db) or a PostgreSQL database (--database-url or DATABASE_URL).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type EngineOptions, KeyEngine } from '../platform/engine';
import { DEFAULT_REQUEST_LOG_DAYS } from '../platform/request-log-days';
import type { PlatformStore } from '../platform/store/port';
import type { PostgresStore } from '../platform/store/postgres/postgres-store';
import { redactUrl } from '../platform/store/postgres/url';
import { buildServer, DEFAULT_RATE_LIMITS, type RateLimits } from '../server/server';
import { DEFAULT_TOMBSTONE_DAYS } from '../shared/sync-limits';
import { readPolicyFile } from './policy-file';
import { number, UsageError } from './usage';

/** The options that pick the database, shared by serve, migrate and create-admin-key. */
const DATABASE_OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

interface DatabaseChoice {
  /** For messages: the file, or the URL with its password hidden. */
  name: string;
  open(): Promise<PlatformStore>;
  /** The shared per-key limits of a PostgreSQL platform; undefined on SQLite. */
  keyLimiter(store: PlatformStore): Promise<Parameters<typeof buildServer>[0]['keyLimiter']>;
}

/** --db FILE (default ./keyhold.db), or --database-url / DATABASE_URL for PostgreSQL; not both. */
function databaseChoice(values: { db?: string; 'database-url'?: string }): DatabaseChoice {
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (url !== undefined && values.db !== undefined) {
    throw new UsageError(
      `give --db or --database-url${values['database-url'] === undefined ? ' (DATABASE_URL is set)' : ''}, not both`,
    );
  }
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new UsageError('--database-url must start with postgres:// or postgresql://');
    // Loaded only here: a SQLite server does not load the PostgreSQL driver.
    const postgres = () => import('../platform/store/postgres/postgres-store');
    return {
      name: redactUrl(url),
      open: async () => (await postgres()).PostgresStore.connect(url),
      keyLimiter: async (store) =>
        (await import('../platform/store/postgres/shared-key-limiter')).sharedKeyLimiter(store as PostgresStore),
    };
  }
  const file = resolve(values.db ?? 'keyhold.db');
  return {
    name: file,
    open: async () => (await import('../platform/store/sqlite/sqlite-store')).SqliteStore.open(file),
    keyLimiter: async () => undefined,
  };
}

async function openEngine(choice: DatabaseChoice, options: EngineOptions = {}): Promise<KeyEngine> {
  return new KeyEngine(await choice.open(), options);
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function printAdminKey(secret: string, intro: string): void {
  process.stdout.write(`${intro} It is shown once: store it now (for example in your password manager).\n`);
  process.stdout.write(`${secret}\n`);
}

export async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...DATABASE_OPTIONS,
      host: { type: 'string', default: '127.0.0.1' },
      'trust-proxy': { type: 'string' },
      port: { type: 'string', default: '8787' },
      policy: { type: 'string' },
      'usage-flush-ms': { type: 'string' },
      'request-log-days': { type: 'string' },
      'tombstone-days': { type: 'string' },
      'key-burst': { type: 'string' },
      'key-rate': { type: 'string' },
      'fail-burst': { type: 'string' },
      'fail-rate': { type: 'string' },
    },
    strict: true,
  });
  const port = number(values.port, 'port', 8787, 0);
  const d = DEFAULT_RATE_LIMITS;
  const rateLimits: RateLimits = {
    perKey: {
      ...d.perKey,
      capacity: number(values['key-burst'], 'key-burst', d.perKey.capacity, 1),
      refillPerSecond: number(values['key-rate'], 'key-rate', d.perKey.refillPerSecond, 0.001),
    },
    failedAuthPerAddress: {
      ...d.failedAuthPerAddress,
      capacity: number(values['fail-burst'], 'fail-burst', d.failedAuthPerAddress.capacity, 1),
      refillPerSecond: number(values['fail-rate'], 'fail-rate', d.failedAuthPerAddress.refillPerSecond, 0.001),
    },
  };

  const policy = readPolicyFile(values.policy);
  const database = databaseChoice(values);
  const flushIntervalMs = number(values['usage-flush-ms'], 'usage-flush-ms', 1000, 0);
  const requestLogDays = number(values['request-log-days'], 'request-log-days', DEFAULT_REQUEST_LOG_DAYS, 1);
  const tombstoneDays = number(values['tombstone-days'], 'tombstone-days', DEFAULT_TOMBSTONE_DAYS, 1);
  const engine = (
    await openEngine(database, {
      policy: () => policy,
      flushIntervalMs,
      requestLogDays,
      tombstoneDays,
      onFlushError: (error) =>
        process.stderr.write(
          `writing usage or the request log failed (kept for the next try): ${(error as Error)?.message ?? error}\n`,
        ),
    })
  ).start();
  // Made once, however many servers start on an empty database at the same moment.
  const { root, created } = await engine.bootstrap('Root account', 'Bootstrap admin key');
  if (created) {
    printAdminKey(
      created.secret,
      `New platform in ${database.name}: created the root account ${root.id} and its admin key.`,
    );
  }
  const keyLimiter = await database.keyLimiter(engine.store);
  const app = await buildServer({
    engine,
    version: version(),
    rateLimits,
    ...(keyLimiter ? { keyLimiter } : {}),
    ...(values['trust-proxy'] ? { trustProxy: values['trust-proxy'] } : {}),
  });
  const address = await app.listen({ host: values.host, port });
  process.stdout.write(`Keyhold platform listening on ${address} (database ${database.name})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping; flushing last-used times\n`);
    await app.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export async function createAdminKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...DATABASE_OPTIONS, label: { type: 'string', default: 'Admin key' } },
    strict: true,
  });
  const engine = await openEngine(databaseChoice(values));
  try {
    const root = await engine.ensureRootAccount();
    const { key, secret } = await engine.createKey(root.id, { label: values.label }, { kind: 'system' });
    printAdminKey(secret, `Created admin key ${key.partial_key} ("${key.label}") on the root account ${root.id}.`);
  } finally {
    await engine.close();
  }
}

/** Applies a database's pending migrations (servers also do at start), or with --check lists them. */
export async function migrate(args: string[], out: (text: string) => void): Promise<void> {
  const { values } = parseArgs({ args, options: { ...DATABASE_OPTIONS, check: { type: 'boolean' } }, strict: true });
  const database = databaseChoice(values);
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (url === undefined) {
    // SQLite applies its migrations whenever the file is opened.
    await (await database.open()).close();
    out(`${database.name}: the schema is up to date.\n`);
    return;
  }
  const { migrateDatabase } = await import('../platform/store/postgres/postgres-store');
  const report = await migrateDatabase(url, { apply: !values.check });
  if (values.check) {
    out(
      report.pending.length === 0
        ? `${database.name}: the schema is up to date (version ${report.version}).\n`
        : `${database.name}: at version ${report.version}; pending: ${report.pending.join(', ')}.\n`,
    );
  } else {
    out(
      report.applied.length === 0
        ? `${database.name}: the schema is up to date (version ${report.version}).\n`
        : `${database.name}: applied ${report.applied.join(', ')}; the schema is at version ${report.version}.\n`,
    );
  }
}
