// The HTTP API's `flag` filter (SQL in the keys repository) and the audit (a pass over the
// inventory) must name exactly the same keys for every key rule, under any policy and at any time.
// fast-check builds inventories on a real engine: accounts, keys created, used and revoked as a
// moved clock goes by; then the clock jumps and every rule is compared.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditPolicy, audit, DEFAULT_AUDIT_POLICY, KEY_RULES, ruleBit } from '../../../src/shared/audit';
import { DAY_MS } from '../../../src/shared/utc-time';
import { admin, type EngineFixture, openTestEngine } from '../../support/engine';

// Whole days, so keys often sit exactly on a rule's boundary (7 days, 90 days...).
const day = fc.integer({ min: 0, max: 400 });
const LABELS = ['Billing prod', 'staging worker', 'dev laptop', 'test', 'API Key 1', 'Checkout service', 'ab'];

const keySpec = fc.record({
  account: fc.nat(),
  label: fc.constantFrom(...LABELS),
  createdDay: day,
  lifetimeDays: fc.option(fc.integer({ min: 1, max: 500 })),
  useAfterDays: fc.option(fc.integer({ min: 0, max: 300 })),
  revokeAfterDays: fc.option(fc.integer({ min: 0, max: 300 })),
});

const small = fc.integer({ min: 1, max: 120 });
const policySpec = fc.oneof(
  fc.constant(DEFAULT_AUDIT_POLICY),
  fc.record({
    neverUsedGraceDays: small,
    unusedDays: small,
    expiringDays: small,
    rotationDays: fc.record({ production: small, staging: small, development: small }),
    revokedRetentionDays: small,
    maxKeysPerAccount: small,
    extendDays: small,
    recentUseDays: small,
    maxSources: small,
    refusedAttempts: small,
  }),
);

const inventorySpec = fc.record({
  parents: fc.array(fc.nat(), { maxLength: 4 }), // account i+1 hangs under account parents[i] % (i+1)
  keys: fc.array(keySpec, { minLength: 1, maxLength: 20 }),
  policy: policySpec,
  nowDay: fc.integer({ min: 0, max: 900 }),
});

let f: EngineFixture | undefined;
afterEach(async () => f?.cleanup());

describe('flag filter = audit, for every key rule (property)', () => {
  it('returns exactly the keys the audit flags', async () => {
    await fc.assert(
      fc.asyncProperty(inventorySpec, async ({ parents, keys, policy, nowDay }) => {
        await f?.cleanup();
        let current: AuditPolicy = policy;
        f = await openTestEngine({ policy: () => current });
        const engine = f.engine;
        const start = f.clock.now();
        const at = (days: number) => start + days * DAY_MS;

        const accounts = [f.rootId];
        for (const [i, parent] of parents.entries()) {
          accounts.push((await engine.createSubaccount(accounts[parent % (i + 1)] as string, { name: `Sub ${i}` })).id);
        }

        // Every create, use and revoke, in time order, with the clock moved to each.
        type Step = { time: number; order: number; run: () => Promise<unknown> };
        const steps: Step[] = [];
        const made: { id: string; secret: string }[] = [];
        keys.forEach((spec, i) => {
          const created = at(spec.createdDay);
          steps.push({
            time: created,
            order: 0,
            run: async () => {
              const expires = spec.lifetimeDays === null ? null : new Date(created + spec.lifetimeDays * DAY_MS);
              const { key, secret } = await engine.createKey(
                accounts[spec.account % accounts.length] as string,
                { label: spec.label, expires_at: expires?.toISOString() ?? null },
                admin,
              );
              made[i] = { id: key.id, secret };
            },
          });
          if (spec.useAfterDays !== null) {
            steps.push({
              time: created + spec.useAfterDays * DAY_MS,
              order: 1,
              run: async () => engine.verify(made[i]?.secret ?? ''),
            });
          }
          if (spec.revokeAfterDays !== null) {
            steps.push({
              time: created + spec.revokeAfterDays * DAY_MS,
              order: 2,
              run: () => engine.revokeKey(null, made[i]?.id ?? '', admin),
            });
          }
        });
        steps.sort((a, b) => a.time - b.time || a.order - b.order);
        const clock = f.clock;
        for (const step of steps) {
          clock.advance(step.time - clock.now());
          await step.run();
        }
        clock.advance(Math.max(at(nowDay), clock.now()) - clock.now());
        current = policy;

        const inventory = {
          accounts: await engine.accountTree(f.rootId),
          keys: (await engine.listKeys(f.rootId, { include_subaccounts: true, limit: 1000 })).data,
        };
        const bits = audit(inventory, policy, clock.now()).ruleBitsByKey();
        for (const rule of KEY_RULES) {
          const expected = inventory.keys.filter((_, i) => ((bits[i] as number) & ruleBit(rule)) !== 0);
          const listed = (await engine.listKeys(f.rootId, { include_subaccounts: true, flag: rule, limit: 1000 })).data;
          expect({ rule, ids: listed.map((key) => key.id).sort() }).toEqual({
            rule,
            ids: expected.map((key) => key.id).sort(),
          });
        }
      }),
      { numRuns: 120 },
    );
  }, 120_000); // about 3 s on SQLite, 20 s on PostgreSQL (a schema per run)
});
