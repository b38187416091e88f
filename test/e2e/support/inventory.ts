// A realistic small inventory for UI tests and screenshots.
import type { KeyEngine } from '../../../src/platform/engine';
import { ManualClock } from '../../support/clock';

const DAY = 86_400_000;

export function seedInventory(engine: KeyEngine, rootId: string): void {
  const admin = { kind: 'user' as const, name: 'seed' };
  const eu = engine.createSubaccount(rootId, { name: 'EU production' });
  const us = engine.createSubaccount(rootId, { name: 'US production' });
  const staging = engine.createSubaccount(rootId, { name: 'Staging' });
  const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const make = (account: string, label: string, expires: number | null) =>
    engine.createKey(account, { label, expires_at: expires === null ? null : inDays(expires) }, admin);

  const billing = make(eu.id, 'Production billing worker', 84);
  make(eu.id, 'Production webhooks', 5);
  const search = make(us.id, 'Production search indexer', 160);
  make(us.id, 'Test', null);
  const ci = make(staging.id, 'Staging CI deploys', 170);
  make(staging.id, 'Staging load tests', 2);
  const old = make(rootId, 'Legacy reporting export', 300);
  make(rootId, 'Platform admin (root)', 30);
  engine.revokeKey(null, old.key.id, admin);
  for (const used of [billing, search, ci]) engine.verify(used.secret);
  engine.flush();
}

/**
 * An inventory with something for every kind of finding, written over 400 days by moving the
 * engine's clock: keys months old, used long ago, never used, revoked weeks ago.
 */
export function auditSeed(): { run: (engine: KeyEngine, rootId: string) => void; clock: ManualClock } {
  const now = Date.now();
  const clock = new ManualClock(now);
  const at = (days: number) => clock.set(new Date(now + days * DAY).toISOString());
  const run = (engine: KeyEngine, rootId: string) => {
    const admin = { kind: 'user' as const, name: 'seed' };
    const inDays = (days: number) => new Date(now + days * DAY).toISOString();
    const make = (account: string, label: string, createdDaysAgo: number, expires: number | null) => {
      at(-createdDaysAgo);
      return engine.createKey(account, { label, expires_at: expires === null ? null : inDays(expires) }, admin);
    };
    const use = (created: { secret: string }, daysAgo: number) => {
      at(-daysAgo);
      engine.verify(created.secret);
      engine.flush();
    };
    at(-400);
    const eu = engine.createSubaccount(rootId, { name: 'EU production' });
    const us = engine.createSubaccount(rootId, { name: 'US production' });
    const staging = engine.createSubaccount(rootId, { name: 'Staging' });

    make(rootId, 'Deploy bot', 400, null); // parent account, never expires, never used
    use(make(eu.id, 'Production billing worker', 120, 60), 2); // rotation overdue
    use(make(eu.id, 'Production webhooks', 30, 5), 1); // expiring
    use(make(eu.id, 'prod search', 10, null), 1); // production without expiration
    make(us.id, 'Test', 20, 90); // vague, never used
    use(make(us.id, 'Reporting export', 200, 100), 150); // unused
    use(make(staging.id, 'Staging load tests', 5, 0.5), 1); // expires today
    use(make(staging.id, 'Staging CI deploys', 60, 170), 1); // duplicate label...
    use(make(staging.id, 'Staging CI deploys', 50, 170), 1); // ...twice
    const legacy = make(rootId, 'Legacy reporting export', 300, 300);
    at(-45);
    engine.revokeKey(null, legacy.key.id, admin); // revoked long ago
    at(0);
    engine.flush();
  };
  return { run, clock };
}
