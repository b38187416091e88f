import { defineConfig } from 'vitest/config';

// The engine and server suites run twice: on SQLite (the default) and on PostgreSQL, where the
// same tests must pass unchanged (KEYHOLD_TEST_STORE picks the store in test/support/engine.ts).
const SHARED_WITH_POSTGRES = [
  'test/integration/engine/**/*.test.ts',
  'test/integration/server/**/*.test.ts',
  'test/integration/app/services.test.ts',
  'test/integration/app/remote-sync.test.ts',
];
const POSTGRES_ONLY = ['test/integration/postgres/**/*.test.ts'];
// About the SQLite file itself, or starting servers on one.
const SQLITE_ONLY = [
  'test/integration/engine/persistence.test.ts',
  'test/integration/engine/no-secrets-at-rest.test.ts',
  'test/integration/server/cli.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    // Native modules (better-sqlite3, keytar) are happiest in child processes.
    pool: 'forks',
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/unit/**/*.test.ts', 'test/dom/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: POSTGRES_ONLY,
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...SHARED_WITH_POSTGRES, ...POSTGRES_ONLY],
          exclude: SQLITE_ONLY,
          env: { KEYHOLD_TEST_STORE: 'postgres' },
          globalSetup: ['test/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
