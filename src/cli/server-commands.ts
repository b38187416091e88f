// `keyhold serve` runs the platform's HTTP server; `keyhold create-admin-key` makes a key on the
// root account and prints it once.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KeyEngine } from '../platform/engine';
import { buildServer, DEFAULT_RATE_LIMITS, type RateLimits } from '../server/server';
import { readPolicyFile } from './policy-file';
import { number } from './usage';

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
      db: { type: 'string', default: 'keyhold.db' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      policy: { type: 'string' },
      'usage-flush-ms': { type: 'string' },
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
  const file = resolve(values.db);
  const flushIntervalMs = number(values['usage-flush-ms'], 'usage-flush-ms', 1000, 0);
  const engine = KeyEngine.open(file, { policy: () => policy, flushIntervalMs }).start();
  const { root, created } = await engine.bootstrap('Root account', 'Bootstrap admin key');
  if (created) {
    printAdminKey(created.secret, `New platform in ${file}: created the root account ${root.id} and its admin key.`);
  }
  const app = await buildServer({ engine, version: version(), rateLimits });
  const address = await app.listen({ host: values.host, port });
  process.stdout.write(`Keyhold platform listening on ${address} (database ${file})\n`);

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
    options: { db: { type: 'string', default: 'keyhold.db' }, label: { type: 'string', default: 'Admin key' } },
    strict: true,
  });
  const engine = KeyEngine.open(resolve(values.db));
  try {
    const root = await engine.ensureRootAccount();
    const { key, secret } = await engine.createKey(root.id, { label: values.label }, { kind: 'system' });
    printAdminKey(secret, `Created admin key ${key.partial_key} ("${key.label}") on the root account ${root.id}.`);
  } finally {
    await engine.close();
  }
}
