// Git repositories for tests: the user's own git config out of the way, and fixed commit dates.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** `git ARGS` in `cwd`, as the test's setup runs it (never through Keyhold's own git runner). */
export function gitIn(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z',
    },
  });
}

/** A new repository at `dir` on branch main, with a committer and no signing. */
export function newRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  gitIn(dir, 'init', '-q', '-b', 'main');
  gitIn(dir, 'config', 'user.email', 'dev@example.com');
  gitIn(dir, 'config', 'user.name', 'Dev');
  gitIn(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}
