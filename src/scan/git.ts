// What the scan asks git: the repository a folder is in, the keys added in any commit of any ref
// or in the index, the secret-bearing files git tracks or does not ignore, and the pre-commit hook.
// Through the `git` command, so it reads what git itself sees (packs, refs, .gitignore rules).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type KeyHit, keyHitsIn } from './key-hits';

export interface DiffHit extends KeyHit {
  /** Relative to the repository. */
  path: string;
  /** null for the index (--staged). */
  commit: string | null;
  authorDate: string | null;
}

const GIT_QUIET = ['-c', 'core.quotePath=false', '-c', 'color.ui=false'];

function git(repo: string, args: string[]): string {
  const result = spawnSync('git', ['-C', repo, ...GIT_QUIET, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error) throw new Error(`git is not available: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`git ${args[0]} failed in ${repo}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Whether a `.git` is in this folder or one above it: when none is, git need not be asked. */
function mayBeInRepository(folder: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let at = resolve(folder); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}

/** The top folder of the repository holding `folder`, or null when it is in none. */
export function repositoryOf(folder: string): string | null {
  if (!mayBeInRepository(folder)) return null;
  const result = spawnSync('git', ['-C', folder, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

const COMMIT_MARK = '\u0001';
const DIFF_FLAGS = ['-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames'];

/** Reads `git log -p` or `git diff` output line by line and keeps the keys in added lines. */
async function addedKeyHits(repo: string, args: string[], signal?: AbortSignal): Promise<DiffHit[]> {
  const child = spawn('git', ['-C', repo, ...GIT_QUIET, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => child.kill();
  signal?.addEventListener('abort', stop, { once: true });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`git is not available: ${error.message}`)));
    child.on('close', resolve);
  });
  const hits: DiffHit[] = [];
  let commit: string | null = null;
  let authorDate: string | null = null;
  let path: string | null = null;
  let inHeader = false;
  let line = 0;
  for await (const text of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (text.startsWith(COMMIT_MARK)) {
      [commit = null, authorDate = null] = text.slice(1).split(' ');
    } else if (text.startsWith('diff --git ')) {
      inHeader = true;
      path = null;
    } else if (inHeader && text.startsWith('+++ ')) {
      const target = text.slice(4).replace(/^"(.*)"$/, '$1');
      path = target === '/dev/null' ? null : target.replace(/^b\//, '');
    } else if (text.startsWith('@@ ')) {
      inHeader = false;
      line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0);
    } else if (!inHeader && text.startsWith('+')) {
      if (path !== null && text.includes('sk-')) {
        for (const hit of keyHitsIn(Buffer.from(text.slice(1)))) {
          hits.push({ ...hit, line, path, commit, authorDate });
        }
      }
      line++;
    }
  }
  const code = await exited;
  signal?.removeEventListener('abort', stop);
  // No commit yet: git log fails on an empty repository, which has no history to scan.
  if (code !== 0 && !signal?.aborted && !/does not have any commits/.test(stderr)) {
    throw new Error(`git ${args[0]} failed in ${repo}: ${stderr.trim()}`);
  }
  return hits;
}

/** Keys added by any commit reachable from any ref (branches, tags, stash), deleted since or not. */
export function historyKeyHits(repo: string, signal?: AbortSignal): Promise<DiffHit[]> {
  return addedKeyHits(repo, ['log', '--all', `--format=${COMMIT_MARK}%H %aI`, ...DIFF_FLAGS], signal);
}

/** Keys in what is staged for the next commit. */
export function stagedKeyHits(repo: string, signal?: AbortSignal): Promise<DiffHit[]> {
  return addedKeyHits(repo, ['diff', '--cached', ...DIFF_FLAGS], signal);
}

/** The files the platform says never to commit. */
export const isSecretFileName = (path: string): boolean => {
  const name = basename(path);
  return name === '.env' || name === '.env.local' || name.endsWith('.key');
};

export interface ExposedFile {
  /** Relative to the repository. */
  path: string;
  /** tracked: git holds it; not_ignored: untracked, and .gitignore does not cover it. */
  state: 'tracked' | 'not_ignored';
}

export function exposedSecretFiles(repo: string): ExposedFile[] {
  const list = (args: string[]) =>
    git(repo, ['ls-files', '-z', ...args])
      .split('\0')
      .filter(isSecretFileName);
  return [
    ...list(['--cached']).map((path) => ({ path, state: 'tracked' as const })),
    ...list(['--others', '--exclude-standard']).map((path) => ({ path, state: 'not_ignored' as const })),
  ];
}

export const HOOK_MARK = '# keyhold: refuse commits that add an API key';

export interface HookResult {
  path: string;
  action: 'installed' | 'appended' | 'already installed';
}

/**
 * Writes the pre-commit hook that runs `command` (a scan of the staged changes). An existing hook
 * of someone else's is kept: without `append` it is refused with a message; with it, the scan is
 * added at its end.
 */
export function installPreCommitHook(repo: string, command: string, append: boolean): HookResult {
  const hooksPath = git(repo, ['rev-parse', '--git-path', 'hooks']).trim();
  const hooks = isAbsolute(hooksPath) ? hooksPath : join(repo, hooksPath);
  const path = join(hooks, 'pre-commit');
  const line = `${command} || exit 1`;
  if (existsSync(path)) {
    const existing = readFileSync(path, 'utf8');
    if (existing.includes(HOOK_MARK)) return { path, action: 'already installed' };
    if (!append) {
      throw new HookExistsError(
        `${path} exists and is not Keyhold's: it was left as it is. Add this line to it yourself, or run again with --append:\n  ${line}`,
      );
    }
    writeFileSync(path, `${existing.replace(/\n*$/, '\n')}\n${HOOK_MARK}\n${line}\n`);
    return { path, action: 'appended' };
  }
  mkdirSync(hooks, { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${HOOK_MARK}\n${line}\n`, { mode: 0o755 });
  chmodSync(path, 0o755);
  return { path, action: 'installed' };
}

export class HookExistsError extends Error {}

/** Secret-bearing files being added by the next commit (--staged reports only what it adds). */
export function stagedSecretFiles(repo: string): ExposedFile[] {
  return git(repo, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACR'])
    .split('\0')
    .filter(isSecretFileName)
    .map((path) => ({ path, state: 'tracked' as const }));
}
