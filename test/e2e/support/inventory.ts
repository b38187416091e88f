// A realistic small inventory for UI tests and screenshots.
import type { KeyEngine } from '../../../src/platform/engine';
import { ManualClock } from '../../support/clock';

const DAY = 86_400_000;

/** Seeds the inventory; answers each key's full secret by label (for tests that use a key over HTTP). */
export async function seedInventory(engine: KeyEngine, rootId: string): Promise<Map<string, string>> {
  const admin = { kind: 'user' as const, name: 'seed' };
  const eu = await engine.createSubaccount(rootId, { name: 'EU production' });
  const us = await engine.createSubaccount(rootId, { name: 'US production' });
  const staging = await engine.createSubaccount(rootId, { name: 'Staging' });
  const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const secrets = new Map<string, string>();
  const make = async (account: string, label: string, expires: number | null) => {
    const created = await engine.createKey(
      account,
      { label, expires_at: expires === null ? null : inDays(expires) },
      admin,
    );
    secrets.set(label, created.secret);
    return created;
  };

  const billing = await make(eu.id, 'Production billing worker', 84);
  await make(eu.id, 'Production webhooks', 5);
  const search = await make(us.id, 'Production search indexer', 160);
  await make(us.id, 'Test', null);
  const ci = await make(staging.id, 'Staging CI deploys', 170);
  await make(staging.id, 'Staging load tests', 2);
  const old = await make(rootId, 'Legacy reporting export', 300);
  await make(rootId, 'Platform admin (root)', 30);
  await engine.revokeKey(null, old.key.id, admin);
  for (const used of [billing, search, ci]) await engine.verify(used.secret);
  await engine.flush();
  return secrets;
}

/**
 * An inventory with something for every kind of finding, written over 400 days by moving the
 * engine's clock: keys months old, used long ago, never used, revoked weeks ago.
 */
export function auditSeed(): { run: (engine: KeyEngine, rootId: string) => Promise<void>; clock: ManualClock } {
  const now = Date.now();
  const clock = new ManualClock(now);
  const at = (days: number) => clock.set(new Date(now + days * DAY).toISOString());
  const run = async (engine: KeyEngine, rootId: string) => {
    const admin = { kind: 'user' as const, name: 'seed' };
    const inDays = (days: number) => new Date(now + days * DAY).toISOString();
    const make = async (account: string, label: string, createdDaysAgo: number, expires: number | null) => {
      at(-createdDaysAgo);
      return await engine.createKey(account, { label, expires_at: expires === null ? null : inDays(expires) }, admin);
    };
    const use = async (created: { secret: string }, daysAgo: number) => {
      at(-daysAgo);
      await engine.verify(created.secret);
      await engine.flush();
    };
    at(-400);
    const eu = await engine.createSubaccount(rootId, { name: 'EU production' });
    const us = await engine.createSubaccount(rootId, { name: 'US production' });
    const staging = await engine.createSubaccount(rootId, { name: 'Staging' });

    await make(rootId, 'Deploy bot', 400, null); // parent account, never expires, never used
    await use(await make(eu.id, 'Production billing worker', 120, 60), 2); // rotation overdue
    await use(await make(eu.id, 'Production webhooks', 30, 5), 1); // expiring
    await use(await make(eu.id, 'prod search', 10, null), 1); // production without expiration
    await make(us.id, 'Test', 20, 90); // vague, never used
    await use(await make(us.id, 'Reporting export', 200, 100), 150); // unused
    await use(await make(staging.id, 'Staging load tests', 5, 0.5), 1); // expires today
    await use(await make(staging.id, 'Staging CI deploys', 60, 170), 1); // duplicate label...
    await use(await make(staging.id, 'Staging CI deploys', 50, 170), 1); // ...twice
    const legacy = await make(rootId, 'Legacy reporting export', 300, 300);
    at(-45);
    await engine.revokeKey(null, legacy.key.id, admin); // revoked long ago
    at(0);
    await engine.flush();
  };
  return { run, clock };
}
