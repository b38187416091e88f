// A real platform server on 127.0.0.1 (a free port) over the test store (a SQLite file, or a
// PostgreSQL schema in the postgres project).

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { EngineOptions } from '../../src/platform/engine';
import { PostgresStore } from '../../src/platform/store/postgres/postgres-store';
import { sharedKeyLimiter } from '../../src/platform/store/postgres/shared-key-limiter';
import { KeyholdClient, type KeyholdClientOptions } from '../../src/sdk/client';
import { buildServer, DEFAULT_RATE_LIMITS, type RateLimits } from '../../src/server/server';
import type { Clock } from '../../src/shared/clock';
import type { ApiKey } from '../../src/shared/domain';
import { recordContract } from './contract';
import { type EngineFixture, openTestEngine } from './engine';

export interface ServerFixture extends EngineFixture {
  app: FastifyInstance;
  url: string;
  adminKey: string;
  logs: string[];
  /** Responses that did not match the OpenAPI document; stop() fails when there are any. */
  contractViolations: string[];
  client(apiKey?: string, options?: Partial<KeyholdClientOptions>): KeyholdClient;
  stop(): Promise<void>;
}

/** Generous limits so tests that are not about rate limiting never meet one. */
export const RELAXED_LIMITS: RateLimits = {
  perKey: { ...DEFAULT_RATE_LIMITS.perKey, capacity: 10_000, refillPerSecond: 10_000 },
  failedAuthPerAddress: { ...DEFAULT_RATE_LIMITS.failedAuthPerAddress, capacity: 10_000, refillPerSecond: 10_000 },
};

export async function startTestServer(
  options: {
    rateLimits?: RateLimits;
    authenticate?: boolean;
    engine?: EngineOptions;
    rateClock?: Clock;
    trustProxy?: string;
  } = {},
): Promise<ServerFixture> {
  const fixture = await openTestEngine(options.engine);
  const logs: string[] = [];
  const app = await buildServer({
    engine: fixture.engine,
    rateLimits: options.rateLimits ?? RELAXED_LIMITS,
    authenticate: options.authenticate ?? true,
    log: (line) => logs.push(line),
    ...(options.rateClock ? { clock: options.rateClock } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    // On PostgreSQL the per-key limits are the database's, as `keyhold serve` has them there.
    ...(fixture.engine.store instanceof PostgresStore ? { keyLimiter: sharedKeyLimiter(fixture.engine.store) } : {}),
  });
  const contractViolations = recordContract(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const adminKey = (await fixture.engine.createKey(fixture.rootId, { label: 'Admin key' }, { kind: 'system' })).secret;
  return Object.assign(fixture, {
    app,
    url,
    adminKey,
    logs,
    contractViolations,
    client: (apiKey = adminKey, more: Partial<KeyholdClientOptions> = {}) =>
      new KeyholdClient({ baseUrl: url, apiKey, retry: { maxRetries: 0 }, ...more }),
    async stop() {
      await app.close();
      await fixture.cleanup();
      if (contractViolations.length > 0) {
        throw new Error(`Responses that break the OpenAPI document:\n${[...new Set(contractViolations)].join('\n')}`);
      }
    },
  });
}

/** Every key the fixture's admin key sees, by id, read through the SDK as a client would. */
export async function keysOnPlatform(fixture: ServerFixture): Promise<Map<string, ApiKey>> {
  const all = new Map<string, ApiKey>();
  for await (const key of fixture.client().apiKeys.iterate('me', { include_subaccounts: true, limit: 1000 }))
    all.set(key.id, key);
  return all;
}
