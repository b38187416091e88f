// What the scan asks git: the repository a folder is in, the keys added by what is staged, the
// secret-bearing files git tracks or does not ignore, and the pre-commit hook (the history is
// history.ts's).
// Through the `git` command, so it reads what git itself sees (packs, refs, .gitignore rules).
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { gitOutput, gitSync } from './git-command';
import { scanObjects } from './git-objects';
import type { KeyHit } from './key-hits';
import { isInside, lstatOrNull } from './paths';

/** A key added by what is staged. */
export interface DiffHit extends KeyHit {
  /** Relative to the repository. */
  path: string;
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
  const result = gitSync(folder, ['rev-parse', '--show-toplevel']);
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * Keys the next commit adds: each staged file's new blob read whole (binary or not, `-diff` or
 * not), less the keys its old blob already held. Paths come NUL-terminated (`-z`), exactly.
 */
export async function stagedKeyHits(repo: string, signal?: AbortSignal): Promise<DiffHit[]> {
  const listed = gitSync(repo, ['diff', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev']);
  if (listed.status !== 0) throw new Error(`git diff failed in ${repo}: ${listed.stderr.trim()}`);
  const changes: Array<{ path: string; before: string | null; after: string }> = [];
  const tokens = listed.stdout.split('\0');
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    // ":<old mode> <new mode> <old id> <new id> <status>", then the path.
    const [, , before = '', after = '', status = ''] = (tokens[i] as string).split(' ');
    if (status === 'D' || /^0+$/.test(after)) continue;
    changes.push({ path: tokens[i + 1] as string, before: /^0+$/.test(before) ? null : before, after });
  }
  if (changes.length === 0) return [];
  const ids = new Set(changes.flatMap(({ before, after }) => (before ? [before, after] : [after])));
  // Staged blobs are read whatever their size: the hook is about what this commit adds.
  const found = await scanObjects(
    repo,
    `${[...ids].join('\n')}\n`,
    Number.POSITIVE_INFINITY,
    { missing: 0, oversized: 0 },
    signal,
  );
  const hits: DiffHit[] = [];
  for (const { path, before, after } of changes) {
    const held = new Set((before ? (found.get(before)?.hits ?? []) : []).map((hit) => `${hit.publicId}:${hit.valid}`));
    for (const hit of found.get(after)?.hits ?? []) {
      if (!held.has(`${hit.publicId}:${hit.valid}`)) hits.push({ ...hit, path });
    }
  }
  return hits;
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
    gitOutput(repo, ['ls-files', '-z', ...args])
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
 * The folder git runs this repository's hooks from: its own core.hooksPath, or hooks/ in its
 * git folder. Refused when it is outside the repository and its git folder (a planted
 * core.hooksPath would have the hook written anywhere).
 */
function hooksFolder(repo: string): string {
  const common = resolve(repo, gitOutput(repo, ['rev-parse', '--git-common-dir']).trim());
  const configured = gitSync(repo, ['config', '--local', '--get', 'core.hooksPath']).stdout.trim();
  const hooks = configured ? resolve(repo, configured) : join(common, 'hooks');
  // Checked before anything is made: the real place of its deepest folder that exists, then the rest.
  let existing = hooks;
  while (realpathOrNull(existing) === null && dirname(existing) !== existing) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, hooks));
  if (!isInside(realpathSync(repo), real) && !isInside(realpathSync(common), real)) {
    throw new HookExistsError(`core.hooksPath points outside the repository (${hooks}): no hook was written there`);
  }
  mkdirSync(real, { recursive: true });
  return real;
}

/**
 * Writes the pre-commit hook that runs `command` (a scan of the staged changes). An existing hook
 * of someone else's is kept: without `append` it is refused with a message; with it, the scan is
 * added at its end. A hook that is a symbolic link is refused, unless `append` is given and it
 * leads to a file inside the repository (then that file is appended to; the link stays).
 */
export function installPreCommitHook(repo: string, command: string, append: boolean): HookResult {
  const path = join(hooksFolder(repo), 'pre-commit');
  const line = `${command} || exit 1`;
  const stat = lstatOrNull(path);
  if (stat === null) {
    // 'wx': created here or refused; never written through something planted since the check.
    writeFileSync(path, `#!/bin/sh\n${HOOK_MARK}\n${line}\n`, { mode: 0o755, flag: 'wx' });
    return { path, action: 'installed' };
  }
  let target = path;
  if (stat.isSymbolicLink()) {
    const resolved = realpathOrNull(path);
    if (!append || resolved === null || !isInside(realpathSync(repo), resolved)) {
      throw new HookExistsError(
        `${path} is a symbolic link${resolved === null ? ' to nothing' : ` to ${resolved}`}: it was left as it is. ` +
          'Run again with --append to add the scan to the file it leads to (only inside the repository), or add this line yourself:\n' +
          `  ${line}`,
      );
    }
    target = resolved;
  }
  if (!lstatSync(target).isFile()) throw new HookExistsError(`${target} is not a file: it was left as it is`);
  const existing = readFileSync(target, 'utf8');
  if (existing.includes(HOOK_MARK)) return { path, action: 'already installed' };
  if (!append) {
    throw new HookExistsError(
      `${path} exists and is not Keyhold's: it was left as it is. Add this line to it yourself, or run again with --append:\n  ${line}`,
    );
  }
  appendFileSync(target, `${/\n$/.test(existing) || existing === '' ? '' : '\n'}\n${HOOK_MARK}\n${line}\n`);
  return { path, action: 'appended' };
}

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

export class HookExistsError extends Error {}

/** Secret-bearing files being added by the next commit (--staged reports only what it adds). */
export function stagedSecretFiles(repo: string): ExposedFile[] {
  return gitOutput(repo, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACR'])
    .split('\0')
    .filter(isSecretFileName)
    .map((path) => ({ path, state: 'tracked' as const }));
}
