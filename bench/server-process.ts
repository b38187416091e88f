// One platform server for bench:server, in its own process so the load generator does not share
// its event loop. argv: <db file | postgres URL> <auth|noauth>. Prints `READY <url> <key>` when
// listening. On PostgreSQL it counts per-key limits in the database, as `keyhold serve` does.
import type { AddressInfo } from 'node:net';
import { KeyEngine } from '../src/platform/engine';
import { PostgresStore } from '../src/platform/store/postgres/postgres-store';
import { sharedKeyLimiter } from '../src/platform/store/postgres/shared-key-limiter';
import { openSqliteEngine } from '../src/platform/store/sqlite/open-engine';
import { buildServer } from '../src/server/server';

async function main(): Promise<void> {
  const [file, mode] = process.argv.slice(2);
  if (!file || (mode !== 'auth' && mode !== 'noauth')) throw new Error('usage: server-process <db> <auth|noauth>');
  const postgres = /^postgres(ql)?:/.test(file) ? await PostgresStore.connect(file) : null;
  const engine = (postgres ? new KeyEngine(postgres) : openSqliteEngine(file)).start();
  const root = await engine.ensureRootAccount('Bench');
  if ((await engine.listKeys(root.id, { limit: 1 })).data.length === 0) {
    for (let i = 0; i < 200; i++) await engine.createKey(root.id, { label: `Service key ${i}` }, { kind: 'system' });
  }
  const { secret } = await engine.createKey(root.id, { label: `Bench caller ${mode}` }, { kind: 'system' });
  const unlimited = { capacity: 1e12, refillPerSecond: 1e12 };
  const app = await buildServer({
    engine,
    authenticate: mode === 'auth',
    rateLimits: { perKey: { name: 'key', ...unlimited }, failedAuthPerAddress: { name: 'failed-auth', ...unlimited } },
    log: () => {}, // the access log is measured elsewhere; here it would only measure the terminal
    ...(postgres ? { keyLimiter: sharedKeyLimiter(postgres) } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`READY http://127.0.0.1:${(app.server.address() as AddressInfo).port} ${secret}\n`);
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => engine.close())
        .then(() => process.exit(0)),
  );
}

void main();
