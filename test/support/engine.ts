// A real engine on a real SQLite file in a fresh temporary folder, with a clock the test moves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineOptions, KeyEngine } from '../../src/platform/engine';
import type { Actor } from '../../src/shared/domain';
import { ManualClock } from './clock';

export const admin: Actor = { kind: 'user', name: 'tester' };

export interface EngineFixture {
  engine: KeyEngine;
  clock: ManualClock;
  dir: string;
  file: string;
  rootId: string;
  reopen(options?: EngineOptions): KeyEngine;
  cleanup(): void;
}

export function openTestEngine(options: EngineOptions = {}): EngineFixture {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-engine-'));
  const file = join(dir, 'keyhold.db');
  const clock = new ManualClock();
  const fixture: EngineFixture = {
    engine: KeyEngine.open(file, { clock, flushIntervalMs: 0, ...options }),
    clock,
    dir,
    file,
    rootId: '',
    reopen(more = {}) {
      fixture.engine.close();
      fixture.engine = KeyEngine.open(file, { clock, flushIntervalMs: 0, ...options, ...more });
      return fixture.engine;
    },
    cleanup() {
      fixture.engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  fixture.rootId = fixture.engine.ensureRootAccount('Acme').id;
  return fixture;
}

/** Every row of every table, to prove that a refused change changed nothing. */
export function snapshot(engine: KeyEngine): string {
  const tables = engine.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return JSON.stringify(tables.map((table) => [table, engine.db.prepare(`SELECT * FROM "${table}"`).all()]));
}
