// Every git command Keyhold runs is built here. A repository being scanned (or the folder of a
// .env being written) is hostile: its config can name programs that git would start on a plain
// read (core.fsmonitor, pagers, diff drivers, textconv, clean/smudge/process filters, gpg for
// log.showSignature, hooks, ssh). This one place turns every one of them off, and reads no
// system or global config, so nothing a repository says can run a program.

import { type ChildProcessByStdio, type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Config that git would otherwise take from the repository, pinned to harmless values. */
const PINNED: ReadonlyArray<readonly [string, string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.sshCommand', 'false'],
  ['core.askPass', ''],
  ['core.quotePath', 'false'],
  ['diff.external', ''],
  ['log.showSignature', 'false'],
  ['gpg.program', 'false'],
  ['gpg.ssh.program', 'false'],
  ['gpg.x509.program', 'false'],
  ['color.ui', 'false'],
  ['protocol.allow', 'never'],
  ['submodule.recurse', 'false'],
];

/** Per-driver keys that name a program: each one the repository defines is emptied. */
const DRIVER_PROGRAM = /^(?:filter\.(.+)\.(?:clean|smudge|process)|diff\.(.+)\.(?:command|textconv)|pager\..+)$/i;

/** Subcommands that can show a patch: they also get the flags that refuse external diffs and textconv. */
const SHOWS_PATCHES = new Set(['log', 'diff', 'show']);

/** Variables of the caller's environment that name a program git would start, or a config of its own. */
const DROPPED_ENV =
  /^(GIT_EXTERNAL_DIFF|GIT_PAGER|GIT_SSH|GIT_SSH_COMMAND|GIT_ASKPASS|GIT_EDITOR|GIT_SEQUENCE_EDITOR|GIT_CONFIG_COUNT|GIT_CONFIG_KEY_\d+|GIT_CONFIG_VALUE_\d+|GIT_CONFIG|GIT_CONFIG_SYSTEM|GIT_CONFIG_GLOBAL|PAGER|SSH_ASKPASS)$/;

/** The environment every git command runs with: no system or global config, no prompt, no pager. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!DROPPED_ENV.test(name)) env[name] = value;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_SYSTEM: '/dev/null',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    // A read never rewrites the repository's index (a scan leaves the repository as it found it).
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
  };
}

/** Config given as GIT_CONFIG_KEY_n / VALUE_n: unlike `-c`, a key holding `=` stays one key. */
function withConfig(env: NodeJS.ProcessEnv, pairs: ReadonlyArray<readonly [string, string]>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([key, value], index) => {
    out[`GIT_CONFIG_KEY_${index}`] = key;
    out[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return out;
}

/** How long one read of a repository's driver keys serves its next commands. */
const DRIVERS_KEPT_MS = 1000;
const driversRead = new Map<string, { at: number; pairs: Array<readonly [string, string]> }>();

/**
 * The driver keys of `repo`, read at most once a second: a history scan runs a dozen git commands
 * in its first second, and a read of the config before each (a git process of its own, 2-3 ms on
 * the calling thread) held each one back. None of the commands Keyhold runs starts a driver
 * anyway (no checkout, no status, patches without textconv or external diff): emptying them is a
 * second line, and a driver added in the last second meets the first.
 */
function recentDriverPrograms(repo: string, env: NodeJS.ProcessEnv): Array<readonly [string, string]> {
  const now = performance.now();
  const read = driversRead.get(repo);
  if (read && now - read.at < DRIVERS_KEPT_MS) return read.pairs;
  const pairs = driverPrograms(repo, env);
  driversRead.set(repo, { at: now, pairs });
  return pairs;
}

/**
 * The keys of the repository's own config (and whatever it includes) that name a driver's
 * program. Reading config runs nothing, so this first call is safe as it is.
 */
function driverPrograms(repo: string, env: NodeJS.ProcessEnv): Array<readonly [string, string]> {
  const result = spawnSync('git', ['-C', repo, '--no-pager', 'config', '--list', '--name-only', '-z'], {
    encoding: 'utf8',
    env: withConfig(env, PINNED),
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) return [];
  const pairs: Array<readonly [string, string]> = [];
  for (const key of result.stdout.split('\0')) {
    const match = DRIVER_PROGRAM.exec(key);
    if (!match) continue;
    pairs.push([key, key.startsWith('pager.') ? 'false' : '']);
    const filter = match[1];
    if (filter !== undefined) pairs.push([`filter.${filter}.required`, 'false']);
  }
  return pairs;
}

export interface GitCommand {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The arguments and environment of `git <args>` run in `repo`, with every program of its config off. */
export function gitCommand(repo: string, args: string[]): GitCommand {
  const base = baseEnvironment();
  const [subcommand, ...rest] = args;
  const patchFlags = subcommand && SHOWS_PATCHES.has(subcommand) ? ['--no-ext-diff', '--no-textconv'] : [];
  return {
    args: ['-C', repo, '--no-pager', ...(subcommand === undefined ? [] : [subcommand, ...patchFlags, ...rest])],
    env: withConfig(base, [...PINNED, ...recentDriverPrograms(repo, base)]),
  };
}

export interface GitResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class GitUnavailableError extends Error {}

/** Runs git to the end and answers its output; throws only when git cannot be started. */
export function gitSync(repo: string, args: string[], input = ''): GitResult {
  const { args: argv, env } = gitCommand(repo, args);
  const result = spawnSync('git', argv, { encoding: 'utf8', env, maxBuffer: 1 << 28, input });
  if (result.error) throw new GitUnavailableError(`git is not available: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** git's output, or an error naming the command and what git said. */
export function gitOutput(repo: string, args: string[], input?: string): string {
  const result = gitSync(repo, args, input);
  if (result.status !== 0) throw new Error(`git ${args[0]} failed in ${repo}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** As gitSync, without blocking the event loop (the app's main process). */
export function gitAsync(repo: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = gitSpawn(repo, args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error) => reject(new GitUnavailableError(`git is not available: ${error.message}`)));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Starts git with its output streamed (a history read line by line), `input` on its stdin. */
export function gitSpawn(repo: string, args: string[], input = ''): ChildProcessWithoutNullStreams {
  const { args: argv, env } = gitCommand(repo, args);
  const child = spawn('git', argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // git may exit before reading it all (a failed read): that is its answer, not an error here.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  return child;
}

/** As gitSpawn, its stdin another process's output, joined by the system (nothing copied through here). */
export function gitSpawnFrom(
  repo: string,
  args: string[],
  source: Readable,
): ChildProcessByStdio<null, Readable, Readable> {
  const { args: argv, env } = gitCommand(repo, args);
  return spawn('git', argv, { env, stdio: [source, 'pipe', 'pipe'] });
}
