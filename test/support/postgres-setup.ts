// Vitest's global setup for the postgres project: one throwaway cluster for the whole run; each
// engine fixture makes its own schema on it (test/support/engine.ts).
import type { TestProject } from 'vitest/node';
import { type PgClusterInfo, startPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PgClusterInfo;
  }
}

export default function setup(project: TestProject) {
  // Durability is not under test here (a killed server process is, and PostgreSQL itself keeps
  // running): skip the disk flushes that would make every commit wait.
  const cluster = startPostgres({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  project.provide('postgres', { socketDir: cluster.socketDir, port: cluster.port, user: cluster.user });
  return () => cluster.stop();
}
