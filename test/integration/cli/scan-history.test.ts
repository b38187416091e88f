// `keyhold scan --git-history` reads the history by object: every place a key can hide in a real
// repository that `git log -p` does not show (a commit or tag message, a change only a merge made,
// the unstaged and untracked parts of a stash and its older entries, a binary or `-diff` file, base64,
// a path with a space or a tab) is found and placed: its commit, its path exactly, the refs that
// reach it, and "only on" the refs that hold it when the default branch never did.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/shared/key-format';
import { gitIn as git, newRepo } from '../../support/git-repo';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { expectCodeScanningSarif } from '../../support/sarif';

const home = mkdtempSync(join(tmpdir(), 'keyhold-history-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function scan(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(KEYHOLD_NODE, keyholdArgs('scan', ...args), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, KEYHOLD_DATA_DIR: join(home, 'no-app') },
  });
}

interface Location {
  origin: string;
  path: string;
  commit: string | null;
  refs: string[] | null;
  on_default_branch: boolean | null;
  message: string | null;
  encoding: string | null;
}

describe('keyhold scan --git-history', () => {
  it('finds every key the history holds, wherever git keeps it, and places it', () => {
    const repo = newRepo(join(home, 'repo'));
    const NAMES = [
      'message',
      'tag',
      'merge',
      'stashWork',
      'stashUntracked',
      'stashOld',
      'binary',
      'nodiff',
      'base64',
      'spaced',
      'branch',
      'index',
    ] as const;
    const keys = Object.fromEntries(
      NAMES.map((name, i) => [name, generateKey(`c0ffee${i.toString(16).padStart(2, '0')}`, randomBytes)]),
    ) as Record<(typeof NAMES)[number], string>;
    const commit = (message: string) => git(repo, 'commit', '-q', '--allow-empty', '-m', message);
    writeFileSync(join(repo, 'README.md'), 'hello\n');
    writeFileSync(join(repo, '.gitattributes'), 'secrets.dat -diff\n');
    git(repo, 'add', '.');
    commit(`init\n\nTemporary: ITELLICO_API_KEY=${keys.message}`);
    git(repo, 'tag', '-a', 'v1', '-m', `release notes (key ${keys.tag})`);
    // A binary file, a -diff file, base64, and a path with a space and a tab.
    writeFileSync(
      join(repo, 'logo.png'),
      Buffer.concat([Buffer.from([137, 80, 78, 71, 0, 0]), Buffer.from(keys.binary), Buffer.from([0])]),
    );
    writeFileSync(join(repo, 'secrets.dat'), `KEY=${keys.nodiff}\n`);
    writeFileSync(join(repo, 'secret.yaml'), `data:\n  KEY: ${Buffer.from(keys.base64).toString('base64')}\n`);
    writeFileSync(join(repo, 'my config\tfile.env'), `KEY=${keys.spaced}\n`);
    git(repo, 'add', '.');
    commit('assets');
    git(repo, 'rm', '-q', 'logo.png', 'secrets.dat', 'secret.yaml', 'my config\tfile.env');
    commit('remove them');
    // A change only a merge made: the merge commit adds a file neither parent has.
    git(repo, 'checkout', '-q', '-b', 'side');
    commit('side work');
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'merge', '-q', '--no-ff', '--no-commit', 'side');
    writeFileSync(join(repo, 'merged.env'), `KEY=${keys.merge}\n`);
    git(repo, 'add', 'merged.env');
    commit('merge side');
    git(repo, 'rm', '-q', 'merged.env');
    commit('drop merged.env');
    // A branch never merged.
    git(repo, 'checkout', '-q', '-b', 'feature/x');
    writeFileSync(join(repo, 'feature.env'), `KEY=${keys.branch}\n`);
    git(repo, 'add', 'feature.env');
    commit('feature');
    git(repo, 'checkout', '-q', 'main');
    // Stashes: an older entry, then one with an unstaged change and an untracked file.
    writeFileSync(join(repo, 'README.md'), `old ${keys.stashOld}\n`);
    git(repo, 'stash', '-q');
    writeFileSync(join(repo, 'README.md'), `work ${keys.stashWork}\n`);
    writeFileSync(join(repo, 'notes.txt'), `KEY=${keys.stashUntracked}\n`);
    git(repo, 'stash', '-q', '-u');
    // Staged, never committed.
    writeFileSync(join(repo, 'staged.env'), `KEY=${keys.index}\n`);
    git(repo, 'add', 'staged.env');

    // No inventory here: every key is "not in the inventory", which is all this test needs.
    const result = scan(['--git-history', '--json'], repo);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const places = new Map<string, Location[]>(
      report.findings
        .filter((finding: { kind: string }) => finding.kind === 'key')
        .map((finding: { partial_key: string; locations: Location[] }) => [
          finding.partial_key,
          finding.locations.filter((location) => location.origin !== 'file'),
        ]),
    );
    const of = (name: (typeof NAMES)[number]) => places.get(keys[name].slice(0, 11)) ?? [];
    for (const name of NAMES) expect(of(name).length, name).toBeGreaterThan(0);

    expect(of('message')[0]).toMatchObject({ origin: 'history', path: '', message: 'commit', on_default_branch: true });
    expect(of('tag')[0]).toMatchObject({ message: 'tag', refs: ['tag v1'] });
    expect(of('binary')[0]).toMatchObject({ path: 'logo.png', on_default_branch: true });
    expect(of('nodiff')[0]).toMatchObject({ path: 'secrets.dat' });
    expect(of('base64')[0]).toMatchObject({ path: 'secret.yaml', encoding: 'base64' });
    expect(of('spaced')[0]).toMatchObject({ path: 'my config\tfile.env' });
    expect(of('merge')[0]).toMatchObject({ path: 'merged.env', on_default_branch: true });
    expect(of('branch')[0]).toMatchObject({ path: 'feature.env', refs: ['feature/x'], on_default_branch: false });
    for (const name of ['stashWork', 'stashUntracked'] as const) {
      expect(of(name)[0], name).toMatchObject({ refs: ['stash'], on_default_branch: false });
    }
    expect(of('stashOld')[0]).toMatchObject({ path: 'README.md', on_default_branch: false });
    expect(of('index')[0]).toMatchObject({ origin: 'staged', path: 'staged.env', commit: null });

    const text = scan(['--git-history'], repo).stdout;
    expect(text).toContain('history: feature.env:1:5');
    expect(text).toMatch(/feature\.env:1:5 in commit [0-9a-f]{12} \([^)]+\), only on feature\/x/);
    expect(text).toMatch(/history: the message of commit [0-9a-f]{12} \([^)]+\), on the default branch\n/);
    expect(text).toContain('the message of tag v1');
    for (const key of Object.values(keys)) expect(text + JSON.stringify(report)).not.toContain(key.slice(12));

    // As SARIF for code scanning: valid, a message's copy as a logical location, a history copy
    // with its commit, paths from the repository root even when the scan runs in a subfolder.
    mkdirSync(join(repo, 'docs'));
    const sarifText = scan(['--git-history', '--sarif', '..'], join(repo, 'docs'));
    expectCodeScanningSarif(sarifText.stdout);
    const results = JSON.parse(sarifText.stdout).runs[0].results as Array<{
      locations: Array<{ physicalLocation?: { artifactLocation: { uri: string } }; logicalLocations?: unknown[] }>;
      properties?: { commit: string };
    }>;
    expect(results.some((r) => r.locations[0]?.logicalLocations)).toBe(true);
    expect(results.map((r) => r.locations[0]?.physicalLocation?.artifactLocation.uri)).toContain('feature.env');
    expect(results.every((r) => !r.properties || /^[0-9a-f]{40}$/.test(r.properties.commit ?? ''))).toBe(true);

    // --staged reads the staged blobs whole too: a binary file and a path with a tab, exactly.
    const stagedKey = generateKey('c0ffeeff', randomBytes);
    writeFileSync(join(repo, 'tab\there.bin'), Buffer.concat([Buffer.from([0, 255]), Buffer.from(stagedKey)]));
    git(repo, 'add', 'tab\there.bin');
    const staged = JSON.parse(scan(['--staged', '--json'], repo).stdout);
    const stagedPlaces = staged.findings.flatMap((finding: { partial_key: string; locations: Location[] }) =>
      finding.locations.map((location) => [finding.partial_key, location.origin, location.path]),
    );
    expect(stagedPlaces.sort()).toEqual(
      [
        [stagedKey.slice(0, 11), 'staged', 'tab\there.bin'],
        [keys.index.slice(0, 11), 'staged', 'staged.env'],
      ].sort(),
    );
  });
});
