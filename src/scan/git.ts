// What the scan asks git: the repository a folder is in, the keys added in any commit of any ref
// or in the index, the secret-bearing files git tracks or does not ignore, and the pre-commit hook.
// Through the `git` command, so it reads what git itself sees (packs, refs, .gitignore rules).
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { gitSpawn, gitSync } from './git-command';
import { type KeyHit, keyHitsIn } from './key-hits';
import { isInside, lstatOrNull } from './paths';

export interface DiffHit extends KeyHit {
  /** Relative to the repository. */
  path: string;
  /** null for the index (--staged). */
  commit: string | null;
  authorDate: string | null;
}

/** What a history read could not read: refs to missing objects, commits with a missing object. */
export interface HistorySkips {
  refs: number;
  commits: number;
}

export interface HistoryScan {
  hits: DiffHit[];
  skipped: HistorySkips;
}

function git(repo: string, args: string[], input?: string): string {
  const result = gitSync(repo, args, input);
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
  const result = gitSync(folder, ['rev-parse', '--show-toplevel']);
  return result.status === 0 ? result.stdout.trim() : null;
}

const COMMIT_MARK = '\u0001';

/** A cheap look before a line is scanned: a key, or one escaped or in base64 (see key-hits.ts). */
const mayHoldKey = (text: string) => /sk|%|\\|2st|NrL|zay/.test(text);
const DIFF_FLAGS = ['-p', '-U0', '--no-color', '--no-renames'];

/** A `+++ b/path` line's path: C-quoted by git when it holds a quote or a backslash, tab-ended when it holds a space. */
function targetPath(text: string): string | null {
  const target = text.slice(4).replace(/\t$/, '');
  if (target === '/dev/null') return null;
  const unquoted = /^"(.*)"$/.exec(target);
  const path = unquoted ? unquoteC(unquoted[1] as string) : target;
  return path.replace(/^b\//, '');
}

/** git's C quoting undone: \" \\ \t \n and octal bytes (UTF-8 when core.quotePath is on). */
function unquoteC(text: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { '"': 34, '\\': 92, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c));
      continue;
    }
    const next = text[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface DiffRead {
  hits: DiffHit[];
  /** The commits whose header was read, in order (history only). */
  commits: string[];
  code: number | null;
  stderr: string;
}

/** Reads `git log -p` or `git diff` output line by line and keeps the keys in added lines. */
async function readAddedKeys(repo: string, args: string[], input: string, signal?: AbortSignal): Promise<DiffRead> {
  const child = gitSpawn(repo, args, input);
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
  const commits: string[] = [];
  let commit: string | null = null;
  let authorDate: string | null = null;
  let path: string | null = null;
  let inHeader = false;
  let line = 0;
  for await (const text of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (text.startsWith(COMMIT_MARK)) {
      [commit = null, authorDate = null] = text.slice(1).split(' ');
      if (commit) commits.push(commit);
    } else if (text.startsWith('diff --git ')) {
      inHeader = true;
      path = null;
    } else if (inHeader && text.startsWith('+++ ')) {
      path = targetPath(text);
    } else if (text.startsWith('@@ ')) {
      inHeader = false;
      line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0);
    } else if (!inHeader && text.startsWith('+')) {
      if (path !== null && mayHoldKey(text)) {
        for (const hit of keyHitsIn(Buffer.from(text.slice(1)))) {
          hits.push({ ...hit, line, path, commit, authorDate });
        }
      }
      line++;
    }
  }
  const code = await exited;
  signal?.removeEventListener('abort', stop);
  return { hits, commits, code, stderr };
}

const LOG_ARGS = ['log', `--format=${COMMIT_MARK}%H %aI`, ...DIFF_FLAGS];

/**
 * Keys added by any commit reachable from any ref (branches, tags, stash), deleted since or not.
 * One `git log --all` when the repository is sound; when git cannot read it whole (a ref to a
 * missing object, a commit whose blob is gone) the history is read again around what is broken:
 * the sound refs' commits, each broken commit skipped and counted.
 */
export async function historyKeyHits(repo: string, signal?: AbortSignal): Promise<HistoryScan> {
  const whole = await readAddedKeys(repo, [...LOG_ARGS, '--all'], '', signal);
  if (whole.code === 0 || signal?.aborted) return { hits: whole.hits, skipped: { refs: 0, commits: 0 } };
  // No commit yet: git log fails on an empty repository, which has no history to scan.
  if (/does not have any commits/.test(whole.stderr)) return { hits: [], skipped: { refs: 0, commits: 0 } };
  return historyAroundDamage(repo, signal);
}

async function historyAroundDamage(repo: string, signal?: AbortSignal): Promise<HistoryScan> {
  const skipped: HistorySkips = { refs: 0, commits: 0 };
  const refs = git(repo, ['for-each-ref', '--format=%(objectname)']).split('\n').filter(Boolean);
  const head = gitSync(repo, ['rev-parse', '--verify', '-q', 'HEAD']).stdout.trim();
  const tips = [...new Set(head ? [...refs, head] : refs)];
  // One line per tip, "<name> <type>", or "<name> missing" for an object that is not there.
  const types = git(repo, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${tips.join('\n')}\n`)
    .split('\n')
    .map((line) => line.split(' ')[1]);
  const sound = tips.filter((_, index) => types[index] === 'commit' || types[index] === 'tag');
  skipped.refs = tips.filter((_, index) => types[index] === 'missing').length;
  if (sound.length === 0) return { hits: [], skipped };
  // rev-list stops at a missing commit; what it listed before that is still read.
  const listed = gitSync(repo, ['rev-list', '--stdin'], `${sound.join('\n')}\n`);
  if (listed.status !== 0) skipped.commits++;
  let pending = listed.stdout.split('\n').filter(Boolean);
  const hits: DiffHit[] = [];
  while (pending.length > 0 && !signal?.aborted) {
    const read = await readAddedKeys(
      repo,
      [...LOG_ARGS, '--no-walk=unsorted', '--stdin'],
      `${pending.join('\n')}\n`,
      signal,
    );
    hits.push(...read.hits);
    if (read.code === 0) break;
    // git stopped inside the last commit it named (every listed commit is readable, so its header
    // came out first): what it read of that one is kept, the rest of it skipped.
    const failed = read.commits.at(-1) ?? pending[0];
    skipped.commits++;
    pending = pending.slice(pending.indexOf(failed as string) + 1);
  }
  return { hits, skipped };
}

/** Keys in what is staged for the next commit. */
export async function stagedKeyHits(repo: string, signal?: AbortSignal): Promise<DiffHit[]> {
  const read = await readAddedKeys(repo, ['diff', '--cached', ...DIFF_FLAGS], '', signal);
  if (read.code !== 0 && !signal?.aborted) throw new Error(`git diff failed in ${repo}: ${read.stderr.trim()}`);
  return read.hits;
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
 * The folder git runs this repository's hooks from: its own core.hooksPath, or hooks/ in its
 * git folder. Refused when it is outside the repository and its git folder (a planted
 * core.hooksPath would have the hook written anywhere).
 */
function hooksFolder(repo: string): string {
  const common = resolve(repo, git(repo, ['rev-parse', '--git-common-dir']).trim());
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
  return git(repo, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACR'])
    .split('\0')
    .filter(isSecretFileName)
    .map((path) => ({ path, state: 'tracked' as const }));
}
