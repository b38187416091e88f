// A scanned repository, a scanned tree and a hook folder are hostile. `keyhold scan` as a process
// (and the app's scan and .env check in process) on real repositories whose config names a program
// at every place git would start one, on FIFOs, sockets and devices, on files swapped for links
// while the scan runs, on broken history, and on planted hook links.
import { type ChildProcess, type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitState } from '../../../src/main/app/env-file';
import { scanPaths } from '../../../src/scan/scan';
import { generateKey, parseKey } from '../../../src/shared/key-format';
import { gitIn, newRepo as newRepoAt } from '../../support/git-repo';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { expectCodeScanningSarif } from '../../support/sarif';

const home = mkdtempSync(join(tmpdir(), 'keyhold-hostile-'));
const markers = join(home, 'markers');
mkdirSync(markers);
afterAll(() => rmSync(home, { recursive: true, force: true }));

const keyOf = (id: string) => generateKey(id, randomBytes);
const idOf = (key: string) => parseKey(key)?.partialKey as string;

function run(args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(KEYHOLD_NODE, keyholdArgs('scan', ...args), {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, KEYHOLD_DATA_DIR: join(home, 'no-app'), ...env },
  });
}

/** git for setting up: its output, or the test fails. */
function git(cwd: string, ...args: string[]): string {
  const result = gitIn(cwd, ...args);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const newRepo = (name: string) => newRepoAt(join(home, name));

const touch = (name: string) => `touch '${join(markers, name)}'`;
const planted = () => readdirSync(markers);

/**
 * Every place git's config can name a program, each set to one that leaves a marker. Set after
 * the commits are made (so setting up runs none of them), on a repository whose files and
 * history hold keys.
 */
function armRepository(repo: string): void {
  const hooks = join(repo, 'evil-hooks');
  mkdirSync(hooks);
  for (const hook of [
    'pre-commit',
    'post-checkout',
    'post-index-change',
    'reference-transaction',
    'fsmonitor-watchman',
  ]) {
    writeFileSync(join(hooks, hook), `#!/bin/sh\n${touch(`hook-${hook}`)}\n`, { mode: 0o755 });
  }
  const set: Array<[string, string]> = [
    ['core.fsmonitor', touch('fsmonitor')],
    ['core.hooksPath', hooks],
    ['core.pager', `${touch('core-pager')}; cat`],
    ['pager.log', `${touch('pager-log')}; cat`],
    ['pager.diff', `${touch('pager-diff')}; cat`],
    ['pager.show', `${touch('pager-show')}; cat`],
    ['diff.external', touch('diff-external')],
    ['diff.evil.textconv', `${touch('textconv')}; cat`],
    ['diff.evil.command', touch('diff-command')],
    ['filter.evil.clean', `${touch('filter-clean')}; cat`],
    ['filter.evil.smudge', `${touch('filter-smudge')}; cat`],
    ['filter.evil.process', touch('filter-process')],
    ['filter.evil.required', 'true'],
    ['log.showSignature', 'true'],
    ['gpg.program', touch('gpg')],
    ['core.sshCommand', touch('ssh')],
    ['core.editor', touch('editor')],
    ['credential.helper', `!${touch('credential')}`],
  ];
  for (const [key, value] of set) git(repo, 'config', key, value);
}

/** A commit with a signature header, so log.showSignature would start gpg.program on it. */
function signedCommit(repo: string): void {
  const tree = git(repo, 'rev-parse', 'HEAD^{tree}').trim();
  const parent = git(repo, 'rev-parse', 'HEAD').trim();
  const body =
    `tree ${tree}\nparent ${parent}\nauthor Dev <dev@example.com> 1700000000 +0000\n` +
    'committer Dev <dev@example.com> 1700000000 +0000\n' +
    'gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n\nsigned\n';
  const file = join(home, `commit-${randomBytes(4).toString('hex')}`);
  writeFileSync(file, body);
  const commit = git(repo, 'hash-object', '-t', 'commit', '-w', file).trim();
  git(repo, 'update-ref', 'refs/heads/main', commit);
}

describe('a repository whose config names programs', () => {
  const inHistory = keyOf('a1b2c3d4');
  const inFile = keyOf('b1b2c3d4');
  const staged = keyOf('c1b2c3d4');
  let repo: string;
  // A global config of the user's that names a program: Keyhold reads no global or system config.
  const globalConfig = join(home, 'global.gitconfig');

  beforeAll(() => {
    repo = newRepo('armed');
    writeFileSync(join(repo, '.gitattributes'), '* filter=evil diff=evil\n');
    writeFileSync(join(repo, 'old.txt'), `KEY=${inHistory}\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    git(repo, 'rm', '-q', 'old.txt');
    git(repo, 'commit', '-q', '-m', 'two');
    signedCommit(repo);
    writeFileSync(join(repo, 'config.js'), `const key = "${inFile}";\n`);
    writeFileSync(join(repo, 'staged.txt'), `KEY=${staged}\n`);
    git(repo, 'add', 'staged.txt');
    // A change in the work tree to a file git tracks: a diff against it would clean it.
    writeFileSync(join(repo, '.gitattributes'), '* filter=evil diff=evil\n# changed\n');
    armRepository(repo);
    writeFileSync(
      globalConfig,
      `[core]\n\tfsmonitor = ${touch('global-fsmonitor')}\n[core]\n\tpager = ${touch('global-pager')}\n`,
    );
    expect(planted()).toEqual([]);
  });

  const hostileEnv = () => ({
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_EXTERNAL_DIFF: touch('env-external-diff'),
    GIT_PAGER: touch('env-pager'),
  });
  const foundIds = (result: SpawnSyncReturns<string>) =>
    JSON.parse(result.stdout)
      .findings.map((finding: { partial_key: string }) => finding.partial_key)
      .sort();

  it('keyhold scan (files), --git-history and --staged run none of them, and still find the keys', () => {
    const files = run(['--json', repo], home, hostileEnv());
    expect(files.status, files.stderr).toBe(0);
    expect(foundIds(files)).toEqual([idOf(inFile), idOf(staged)].sort());
    const history = run(['--json', '--git-history', repo], home, hostileEnv());
    expect(history.status, history.stderr).toBe(0);
    expect(foundIds(history)).toEqual([idOf(inHistory), idOf(inFile), idOf(staged)].sort());
    const stagedScan = run(['--json', '--staged'], repo, hostileEnv());
    expect(stagedScan.status, stagedScan.stderr).toBe(0);
    expect(foundIds(stagedScan)).toEqual([idOf(staged)]);
    expect(planted()).toEqual([]);
  });

  it("the app's scan (in process) and the .env writer's git check run none of them", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, hostileEnv());
    try {
      const scan = await scanPaths({
        paths: [repo],
        gitHistory: true,
        staged: false,
        maxFileBytes: 1 << 20,
        threads: 1,
      });
      expect(new Set(scan.hits.map((hit) => hit.publicId))).toEqual(
        new Set([inHistory, inFile, staged].map((key) => parseKey(key)?.publicId)),
      );
      writeFileSync(join(repo, '.env'), 'A=1\n');
      expect(await gitState(join(repo, '.env'))).toBe('not_ignored');
      expect(await gitState(join(repo, 'config.js'))).toBe('not_ignored');
      expect(await gitState(join(repo, '.gitattributes'))).toBe('tracked');
    } finally {
      process.env = saved;
    }
    expect(planted()).toEqual([]);
  });

  it('--install-hook runs none of them and will not write where a planted core.hooksPath points', () => {
    const hooks = join(repo, 'evil-hooks');
    const before = readFileSync(join(hooks, 'pre-commit'), 'utf8');
    // The armed core.hooksPath is inside the repository: the hook is kept, --append adds to it.
    const appended = run(['--install-hook', '--append'], repo, hostileEnv());
    expect(appended.status, appended.stderr).toBe(0);
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8').startsWith(before)).toBe(true);
    const outside = join(home, 'outside-hooks');
    git(repo, 'config', 'core.hooksPath', outside);
    const refused = run(['--install-hook'], repo, hostileEnv());
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('core.hooksPath points outside the repository');
    expect(existsSync(outside)).toBe(false);
    git(repo, 'config', 'core.hooksPath', hooks);
    expect(planted()).toEqual([]);
  });
});

describe('files that are not regular files', () => {
  let server: Server;
  afterAll(() => server?.close());

  it('skips and counts a FIFO, a socket and a device, given as a path or met in a walk, and never blocks on them', async () => {
    const dir = join(home, 'special');
    mkdirSync(dir);
    const key = keyOf('d1d2d3d4');
    writeFileSync(join(dir, 'ok.txt'), `${key}\n`);
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
    server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 'socket'), done));
    const alone = run(['--json', join(dir, 'pipe')], home);
    expect(alone.status, alone.stderr).toBe(0);
    expect(JSON.parse(alone.stdout).counts.skipped.special).toBe(1);
    const device = run(['--json', '/dev/zero'], home);
    expect(device.status, device.stderr).toBe(0);
    expect(JSON.parse(device.stdout).counts.skipped.special).toBe(1);
    const walked = run(['--json', dir], home);
    expect(walked.status, walked.stderr).toBe(0);
    const report = JSON.parse(walked.stdout);
    expect(report.counts.files).toBe(1);
    expect(report.counts.skipped.special).toBe(2);
    expect(report.findings.map((finding: { partial_key: string }) => finding.partial_key)).toEqual([idOf(key)]);
    expect(run([dir], home).stdout).toContain('2 FIFOs, sockets or devices (not opened)');
  });
});

describe('a tree that changes while it is scanned', () => {
  let swapper: ChildProcess | undefined;
  afterAll(() => swapper?.kill('SIGKILL'));

  it('never reports a key from outside the root when a file or a folder is swapped for a link during the scan', async () => {
    const base = join(home, 'race');
    const root = join(base, 'root');
    const outside = join(base, 'outside');
    mkdirSync(join(outside, 'folder'), { recursive: true });
    const secret = keyOf('e1e2e3e4');
    writeFileSync(join(outside, 'secret.txt'), `${secret}\n`);
    writeFileSync(join(outside, 'folder', 'secret.txt'), `${secret}\n`);
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'secret.txt'), 'nothing here\n');
    writeFileSync(join(root, 'secret.txt'), 'nothing here\n');
    for (let i = 0; i < 200; i++) writeFileSync(join(root, `filler${i}.txt`), 'filler\n'.repeat(50));
    // Swaps, as fast as it can: the file for a link to the outside one and back, the folder for a
    // link to an outside folder and back (each by rename, so the name always exists).
    const program = `
      const fs = require('node:fs'); const p = require('node:path');
      const [root, outside] = process.argv.slice(1);
      const file = p.join(root, 'secret.txt'), sub = p.join(root, 'sub');
      fs.writeFileSync(file + '.real', 'nothing here\\n');
      fs.mkdirSync(sub + '.real', { recursive: true }); fs.writeFileSync(p.join(sub + '.real', 'secret.txt'), 'nothing here\\n');
      process.stdout.write('ready\\n');
      for (;;) {
        try { fs.symlinkSync(p.join(outside, 'secret.txt'), file + '.link'); fs.renameSync(file + '.link', file); } catch {}
        try { fs.writeFileSync(file + '.file', 'nothing here\\n'); fs.renameSync(file + '.file', file); } catch {}
        try { fs.symlinkSync(p.join(outside, 'folder'), sub + '.link'); fs.renameSync(sub, sub + '.old'); fs.renameSync(sub + '.link', sub); } catch {}
        try { fs.renameSync(sub, sub + '.gone'); fs.unlinkSync(sub + '.gone'); fs.renameSync(sub + '.old', sub); } catch {}
      }`;
    swapper = spawn(process.execPath, ['-e', program, root, outside], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((done) => swapper?.stdout?.once('data', () => done()));
    let reported = 0;
    let swapsSeen = 0;
    for (let round = 0; round < 40; round++) {
      const scan = await scanPaths({
        paths: [root],
        gitHistory: false,
        staged: false,
        maxFileBytes: 1 << 20,
        threads: 2,
      });
      reported += scan.hits.length;
      swapsSeen += scan.counts.skipped.symlinks;
    }
    swapper.kill('SIGKILL');
    expect(reported).toBe(0);
    // The race did happen: scans met links where the walk had seen files or folders.
    expect(swapsSeen).toBeGreaterThan(0);
  });
});

describe('a history git cannot read whole', () => {
  it('reports a dangling ref and a missing object as skipped, and the keys of the rest', () => {
    const repo = newRepo('broken');
    const keys = [keyOf('f1f2f3f4'), keyOf('f5f6f7f8'), keyOf('f9fafbfc')];
    keys.forEach((key, i) => {
      writeFileSync(join(repo, `k${i}.txt`), `KEY=${key}\n`);
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', `key ${i}`);
    });
    // The middle commit's blob is gone; a branch points at an object that does not exist.
    const blob = git(repo, 'rev-parse', 'HEAD~1:k1.txt').trim();
    unlinkSync(join(repo, '.git/objects', blob.slice(0, 2), blob.slice(2)));
    writeFileSync(join(repo, '.git/refs/heads/dangling'), `${'0123456789'.repeat(4)}\n`);
    const result = run(['--json', '--git-history', repo], home);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.counts.skipped).toMatchObject({ broken_refs: 1, missing_objects: 1 });
    const found = report.findings.map((finding: { partial_key: string }) => finding.partial_key);
    expect(found).toEqual(expect.arrayContaining([idOf(keys[0] as string), idOf(keys[2] as string)]));
    expect(run(['--git-history', repo], home).stdout).toContain(
      '1 git refs to a missing object, 1 git objects missing',
    );
  });
});

describe('--install-hook and a hook that is a symbolic link', () => {
  it('refuses a dangling link and a link out of the repository; appends through a link inside it only with --append', () => {
    const repo = newRepo('hook-links');
    const hook = join(repo, '.git/hooks/pre-commit');
    mkdirSync(join(repo, '.git/hooks'), { recursive: true });
    symlinkSync(join(home, 'nowhere'), hook);
    for (const args of [['--install-hook'], ['--install-hook', '--append']]) {
      const refused = run(args, repo);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('is a symbolic link to nothing');
    }
    expect(existsSync(join(home, 'nowhere'))).toBe(false);
    expect(lstatSync(hook).isSymbolicLink()).toBe(true);

    const outsideFile = join(home, 'outside-hook.sh');
    writeFileSync(outsideFile, '#!/bin/sh\necho outside\n');
    unlinkSync(hook);
    symlinkSync(outsideFile, hook);
    const out = run(['--install-hook', '--append'], repo);
    expect(out.status).toBe(1);
    expect(readFileSync(outsideFile, 'utf8')).toBe('#!/bin/sh\necho outside\n');

    const insideFile = join(repo, 'tools', 'pre-commit.sh');
    mkdirSync(join(repo, 'tools'));
    writeFileSync(insideFile, '#!/bin/sh\necho team checks\n', { mode: 0o755 });
    unlinkSync(hook);
    symlinkSync(insideFile, hook);
    expect(run(['--install-hook'], repo).status).toBe(1);
    const appended = run(['--install-hook', '--append'], repo);
    expect(appended.status, appended.stderr).toBe(0);
    expect(lstatSync(hook).isSymbolicLink()).toBe(true);
    expect(readlinkSync(hook)).toBe(insideFile);
    expect(readFileSync(insideFile, 'utf8')).toContain("'scan' '--staged' '--fail-on' 'warning' || exit 1");
  });
});

describe('file names that would act on a terminal or a viewer', () => {
  it('JSON and SARIF hold no raw C1 or bidi character, parse back to the names, and SARIF URIs are percent-encoded references', () => {
    const dir = join(home, 'names');
    mkdirSync(dir);
    const names = ['invoice\u202Etxt.exe', 'csi\u009B31m.env', 'a b#1%.txt'];
    for (const [i, name] of names.entries()) writeFileSync(join(dir, name), `KEY=${keyOf(`abcdef0${i}`)}\n`);
    const raw = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

    const json = run(['--json', '.'], dir);
    expect(json.status, json.stderr).toBe(0);
    expect(raw.test(json.stdout)).toBe(false);
    expect(json.stdout).toContain('invoice\\u202etxt.exe');
    const paths = JSON.parse(json.stdout).findings.flatMap((f: { locations: Array<{ path: string }> }) =>
      f.locations.map((l) => l.path),
    );
    expect(paths.sort()).toEqual([...names].sort());

    const sarif = run(['--sarif', '.'], dir);
    expect(sarif.status, sarif.stderr).toBe(0);
    expect(raw.test(sarif.stdout)).toBe(false);
    expectCodeScanningSarif(sarif.stdout);
    const results = JSON.parse(sarif.stdout).runs[0].results as Array<{
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }>;
    }>;
    const uris = results.map((r) => r.locations[0]?.physicalLocation.artifactLocation);
    expect(uris.map((u) => u?.uri).sort()).toEqual(['a%20b%231%25.txt', 'csi%C2%9B31m.env', 'invoice%E2%80%AEtxt.exe']);
    for (const location of uris) {
      expect(location?.uriBaseId).toBe('%SRCROOT%');
      // A relative reference that resolves inside the base, to the file's own name.
      const resolved = new URL(location?.uri as string, 'file:///src/root/');
      expect(decodeURIComponent(resolved.pathname.slice('/src/root/'.length))).toBe(
        names.find((name) => encodeURIComponent(name) === location?.uri),
      );
    }

    const text = run(['.'], dir);
    expect(raw.test(text.stdout)).toBe(false);
    expect(text.stdout).toContain('invoice\\u{202e}txt.exe');
  });
});

describe('file names in git history', () => {
  it('reads back the names git quotes (a space, a quote, a backslash, a tab, a bidi override) and knows each file still holds its key', () => {
    const repo = newRepo('quoted-names');
    const names = ['with space.env', 'quote"d.env', 'back\\slash.env', 'tab\tname.env', 'rlo\u202Ename.env'];
    const keys = names.map((name, i) => {
      const key = keyOf(`cafe000${i}`);
      writeFileSync(join(repo, name), `KEY=${key}\n`);
      return key;
    });
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'names');
    const result = run(['--json', '--git-history', '.'], repo);
    expect(result.status, result.stderr).toBe(0);
    const findings = JSON.parse(result.stdout).findings;
    expect(findings.map((f: { partial_key: string }) => f.partial_key).sort()).toEqual(keys.map(idOf).sort());
    const history = findings.flatMap(
      (f: { locations: Array<{ origin: string; path: string; still_present: boolean }> }) =>
        f.locations.filter((location) => location.origin === 'history'),
    );
    expect(history.map((location: { path: string }) => location.path).sort()).toEqual([...names].sort());
    expect(history.every((location: { still_present: boolean }) => location.still_present)).toBe(true);
  });
});
