// A realistic small inventory for UI tests and screenshots.
import type { KeyEngine } from '../../../src/main/platform/engine';

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
  engine.revokeKey(old.key.id, admin);
  for (const used of [billing, search, ci]) engine.verify(used.secret);
  engine.flush();
}
