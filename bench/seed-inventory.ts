// A SQLite platform with `count` keys in a root account and 20 subaccounts, written in one
// transaction: what bench:ui and bench:sync measure against.
import { join } from 'node:path';
import { openSqliteEngine } from '../src/platform/store/sqlite/open-engine';
import type { SqliteStore } from '../src/platform/store/sqlite/sqlite-store';

const LABELS = ['billing worker', 'staging deploy', 'search indexer', 'webhooks', 'reporting export'];

/** Seeds `platform.db` in `dataDir`. */
export async function seedInventory(dataDir: string, count: number): Promise<void> {
  const engine = openSqliteEngine(join(dataDir, 'platform.db'), { flushIntervalMs: 0 });
  const root = await engine.ensureRootAccount('Bench');
  await (engine.store as SqliteStore).batch(async () => {
    const accounts = [root.id];
    for (let i = 0; i < 20; i++) accounts.push((await engine.createSubaccount(root.id, { name: `Region ${i}` })).id);
    for (let i = 0; i < count; i++) {
      const expires = i % 3 === 0 ? null : new Date(Date.now() + ((i % 400) + 1) * 86_400_000).toISOString();
      await engine.createKey(
        accounts[i % accounts.length] as string,
        { label: `${LABELS[i % 5]} ${i}`, expires_at: expires },
        { kind: 'system' },
      );
    }
  });
  await engine.close();
}
