// `keyhold scan` as a process on real files and real git repositories in a temp folder, with a
// real platform database as the inventory.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/shared/key-format';
import { admin, openTestEngine } from '../../support/engine';
import { gitIn, newRepo as newRepoAt } from '../../support/git-repo';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { expectCodeScanningSarif } from '../../support/sarif';

// node with tsx's loader, so the hook the scan installs calls this same command line back.

const home = mkdtempSync(join(tmpdir(), 'keyhold-scan-'));
const f = await openTestEngine();
let active: string;
let revoked: string;
afterAll(async () => {
  await f.cleanup();
  rmSync(home, { recursive: true, force: true });
});
beforeAll(async () => {
  active = (await f.engine.createKey(f.rootId, { label: 'Billing worker' }, admin)).secret;
  const old = await f.engine.createKey(f.rootId, { label: 'Old deploy' }, admin);
  await f.engine.revokeKey(f.rootId, old.key.id, admin);
  revoked = old.secret;
  await f.engine.flush();
});

/** A key of the format that no platform made: valid checksum, unknown public id. */
const unknownKey = () => generateKey('feedf00d', randomBytes);
/** The shape of a key with a checksum that fails. */
const lookalike = (key: string) => key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');

function run(args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(KEYHOLD_NODE, keyholdArgs('scan', ...args), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, KEYHOLD_DATA_DIR: join(home, 'no-app'), ...env },
  });
}

const git = gitIn;
const newRepo = (name: string) => newRepoAt(join(home, name));

const secretPart = (key: string) => key.slice(12);
const noSecretIn = (result: SpawnSyncReturns<string>, keys: string[]) => {
  for (const key of keys) {
    expect(result.stdout).not.toContain(secretPart(key));
    expect(result.stderr).not.toContain(secretPart(key));
  }
};

describe('keyhold scan', () => {
  it('finds keys after escapes, escaped, percent-encoded and in base64, in files and in history', () => {
    const repo = newRepo('encoded');
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const files: Record<string, string> = {
      'logs/app.json': `{"msg":"starting\\nITELLICO_API_KEY=${active}\\tready"}\n`,
      'logs/access.log': `GET /cb?redirect=https%3A%2F%2Fx.test%2F%3Fkey%3D${revoked} 200\n`,
      'k8s/secret.yaml': `apiVersion: v1\nkind: Secret\ndata:\n  ITELLICO_API_KEY: ${b64(active)}\n  env: ${b64(`KEY=${revoked}\n`)}\n`,
      'config/escaped.json': `{"key":"${active.replace('-', '\\u002d')}"}\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'logs and secrets');
    const result = run(['--git-history', '--json', '--db', f.file], repo);
    const report = JSON.parse(result.stdout);
    const places = (origin: string) =>
      report.findings
        .flatMap((finding: { partial_key: string; locations: Array<Record<string, unknown>> }) =>
          finding.locations.map((l) => [finding.partial_key, l.origin, l.path, l.encoding]),
        )
        .filter((place: unknown[]) => place[1] === origin)
        .sort();
    const [a, r] = [active.slice(0, 11), revoked.slice(0, 11)];
    const expected = (origin: string) => [
      [a, origin, 'config/escaped.json', 'escape'],
      [a, origin, 'k8s/secret.yaml', 'base64'],
      [a, origin, 'logs/app.json', null],
      [r, origin, 'k8s/secret.yaml', 'base64'],
      [r, origin, 'logs/access.log', null],
    ];
    expect(places('file')).toEqual(expected('file').sort());
    expect(places('history')).toEqual(expected('history').sort());
    expect(report.findings.filter((finding: { kind: string }) => finding.kind === 'lookalike')).toEqual([]);
    noSecretIn(result, [active, revoked]);
    const text = run(['--db', f.file], repo);
    expect(text.stdout).toMatch(/k8s\/secret\.yaml:4:\d+ \(base64-encoded\)/);
    expect(text.stdout).toContain('config/escaped.json:1:9 (written with escapes)');
    noSecretIn(text, [active, revoked]);
  });

  it('finds a key committed and deleted since, with its commit, and knows it is active', async () => {
    const repo = newRepo('history');
    writeFileSync(join(repo, 'deploy.sh'), `export ITELLICO_API_KEY=${active}\n`);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'deploy script');
    const commit = git(repo, 'rev-parse', 'HEAD').stdout.trim();
    git(repo, 'rm', '-q', 'deploy.sh');
    git(repo, 'commit', '-q', '-m', 'remove it');
    const removal = git(repo, 'rev-parse', 'HEAD').stdout.trim();
    writeFileSync(join(repo, 'README.md'), '# nothing here\n');

    const withoutHistory = run(['--db', f.file, '--json'], repo);
    expect(JSON.parse(withoutHistory.stdout).findings).toEqual([]);

    const result = run(['--git-history', '--db', f.file, '--json', '--fail-on', 'critical'], repo);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([
      {
        kind: 'key',
        severity: 'critical',
        partial_key: active.slice(0, 11),
        key: expect.objectContaining({ label: 'Billing worker', account_name: 'Acme', status: 'active' }),
        locations: [
          {
            origin: 'history',
            path: 'deploy.sh',
            line: 1,
            column: 25,
            encoding: null,
            commit,
            author_date: '2026-11-01T10:00:00+00:00',
            still_present: false,
            refs: ['main'],
            on_default_branch: true,
            in_default_tip: false,
            removed_in: removal,
            message: null,
          },
        ],
      },
    ]);
    noSecretIn(result, [active]);
    const text = run(['--git-history', '--db', f.file], repo);
    expect(text.stdout).toContain(`CRITICAL  ${active.slice(0, 11)}…  active "Billing worker" in Acme`);
    expect(text.stdout).toContain(
      `history: deploy.sh:1:25 in commit ${commit.slice(0, 12)} (2026-11-01T10:00:00+00:00), removed from the file in commit ${removal.slice(0, 12)}`,
    );
    noSecretIn(text, [active]);
  });

  it('grades by the inventory, never takes a lookalike for a key, and reports tracked or unignored secret files', async () => {
    const repo = newRepo('files');
    const unknown = unknownKey();
    writeFileSync(join(repo, 'config.json'), `{\n  "live": "${active}",\n  "old": "${revoked}"\n}\n`);
    writeFileSync(join(repo, 'notes.txt'), `unknown ${unknown}\nfixtures ${lookalike(active)} ${lookalike(unknown)}\n`);
    writeFileSync(join(repo, '.gitignore'), 'ignored.key\n');
    writeFileSync(join(repo, 'ignored.key'), 'not reported: ignored\n');
    writeFileSync(join(repo, 'server.key'), 'untracked and not ignored\n');
    writeFileSync(join(repo, '.env'), 'TRACKED=1\n');
    git(repo, 'add', '.env', '.gitignore');
    git(repo, 'commit', '-q', '-m', 'env');

    const result = run(['--db', f.file, '--json'], repo);
    expect(result.status).toBe(0);
    const findings = JSON.parse(result.stdout).findings as Array<Record<string, unknown>>;
    const summary = findings.map((finding) =>
      finding.kind === 'exposed_file'
        ? `${finding.severity} ${finding.path} ${finding.state}`
        : `${finding.severity} ${finding.kind} ${finding.partial_key} ${(finding.key as { status?: string } | null)?.status ?? '-'}`,
    );
    expect(summary.sort()).toEqual(
      [
        `critical key ${active.slice(0, 11)} active`,
        `warning key ${revoked.slice(0, 11)} revoked`,
        `warning key ${unknown.slice(0, 11)} -`,
        'warning .env tracked',
        'warning server.key not_ignored',
        `info lookalike ${active.slice(0, 11)} -`,
        `info lookalike ${unknown.slice(0, 11)} -`,
      ].sort(),
    );
    // The lookalike of the active key is a finding of its own, never merged into the key's.
    const live = findings.find((finding) => finding.kind === 'key' && finding.severity === 'critical') as {
      locations: unknown[];
    };
    expect(live.locations).toEqual([
      expect.objectContaining({ origin: 'file', path: 'config.json', line: 2, column: 12 }),
    ]);
    expect(run(['--db', f.file, '--fail-on', 'warning'], repo).status).toBe(1);
    noSecretIn(result, [active, revoked, unknown]);
  });

  it('reads binary files, names each path it skips and why, and never reads outside the root', async () => {
    const dir = join(home, 'skips');
    const outside = join(home, 'outside');
    mkdirSync(dir, { recursive: true });
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), `${active}\n`);
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    symlinkSync(outside, join(dir, 'linked-folder'));
    // A key in a binary file (a NUL byte first, as git would call it binary) is found.
    writeFileSync(
      join(dir, 'image.bin'),
      Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(active), Buffer.from([0])]),
    );
    writeFileSync(join(dir, 'big.log'), `${'x'.repeat(2 * 1024 * 1024)}\n${active}\n`);
    writeFileSync(join(dir, 'ok.txt'), 'nothing\n');

    const result = run(['--db', f.file, '--json', '--max-file-mb', '1'], dir);
    const report = JSON.parse(result.stdout);
    expect(
      report.findings.flatMap((finding: { locations: Array<{ path: string }> }) =>
        finding.locations.map((l) => l.path),
      ),
    ).toEqual(['image.bin']);
    expect(report.counts).toMatchObject({
      files: 2,
      skipped: { oversized: 1, unreadable: 0, symlinks: 2 },
      repositories: [],
    });
    expect(report.skipped_paths.sort((a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1))).toEqual(
      [
        { path: 'big.log', reason: 'oversized' },
        { path: 'link.txt', reason: 'symlinks' },
        { path: 'linked-folder', reason: 'symlinks' },
      ],
    );
    const text = run(['--db', f.file, '--max-file-mb', '1'], dir).stdout;
    expect(text).toContain('Skipped: 1 too large, 2 symbolic links (not followed).');
    expect(text).not.toContain('SKIPPED');
    const verbose = run(['--db', f.file, '--max-file-mb', '1', '--verbose'], dir).stdout;
    expect(verbose).toContain('SKIPPED   big.log: over the size limit\n');
    expect(verbose).toContain('SKIPPED   link.txt: a symbolic link (not followed)\n');
    const sarifText = run(['--db', f.file, '--max-file-mb', '1', '--sarif'], dir).stdout;
    expectCodeScanningSarif(sarifText);
    const sarif = JSON.parse(sarifText);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes.map((note: { descriptor: { id: string } }) => note.descriptor.id).sort()).toEqual([
      'keyhold/skipped/oversized',
      'keyhold/skipped/symlinks',
      'keyhold/skipped/symlinks',
    ]);
    // A large file is read in chunks: a key past the first megabyte is found.
    expect(JSON.parse(run(['--db', f.file, '--json'], dir).stdout).findings[0].locations).toHaveLength(2);
  });

  it('installs a pre-commit hook that blocks a staged key, keeps an existing hook, and lets a clean commit through', async () => {
    const repo = newRepo('hook');
    expect(run(['--install-hook'], repo).stdout).toContain('Pre-commit hook installed');
    expect(run(['--install-hook'], repo).stdout).toContain('Pre-commit hook already installed');

    writeFileSync(join(repo, 'clean.txt'), 'hello\n');
    git(repo, 'add', 'clean.txt');
    const clean = git(repo, 'commit', '-q', '-m', 'clean');
    expect(clean.status).toBe(0);

    writeFileSync(join(repo, 'app.env'), `KEY=${active}\n`);
    git(repo, 'add', 'app.env');
    const blocked = git(repo, 'commit', '-q', '-m', 'oops');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain(`staged: app.env:1:5`);
    expect(blocked.stdout + blocked.stderr).not.toContain(secretPart(active));
    expect(git(repo, 'log', '--format=%s').stdout.trim().split('\n')).toEqual(['clean']);

    const other = newRepo('other-hook');
    const existing = '#!/bin/sh\necho team checks\n';
    writeFileSync(join(other, '.git/hooks/pre-commit'), existing, { mode: 0o755 });
    const refused = run(['--install-hook'], other);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('exists and is not Keyhold');
    expect(readFileSync(join(other, '.git/hooks/pre-commit'), 'utf8')).toBe(existing);
    expect(run(['--install-hook', '--append'], other).stdout).toContain('Pre-commit hook appended');
    const appended = readFileSync(join(other, '.git/hooks/pre-commit'), 'utf8');
    expect(appended.startsWith(existing)).toBe(true);
    expect(appended).toContain("'scan' '--staged' '--fail-on' 'warning' || exit 1");
  });

  it('writes SARIF 2.1.0 for code scanning, with a location per copy and no secret', async () => {
    const dir = join(home, 'sarif');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.txt'), `one ${active}\n\n  two ${active}\n`);
    const result = run(['--db', f.file, '--sarif'], dir);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    const [runOf] = sarif.runs;
    expect(runOf.tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain('keyhold/active-key');
    expect(
      runOf.results.map((r: { ruleId: string; level: string; locations: Array<{ physicalLocation: unknown }> }) => [
        r.ruleId,
        r.level,
        r.locations[0]?.physicalLocation,
      ]),
    ).toEqual([
      [
        'keyhold/active-key',
        'error',
        { artifactLocation: { uri: 'a.txt', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 5 } },
      ],
      [
        'keyhold/active-key',
        'error',
        { artifactLocation: { uri: 'a.txt', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 7 } },
      ],
    ]);
    noSecretIn(result, [active]);
  });

  it('refuses contradictory options, and a path given that is not there, with exit 2', async () => {
    // A mistyped path in a CI job must fail it, not pass as a clean scan of nothing.
    const missing = run([join(home, 'no-such-folder')], home);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`no such file or folder: ${join(home, 'no-such-folder')}`);
    expect(missing.stdout).toBe('');
    expect(run(['--json', '--sarif'], home).status).toBe(2);
    expect(run(['--staged', '--git-history'], home).status).toBe(2);
    expect(run(['--fail-on', 'info'], home).status).toBe(2);
    expect(run(['--max-file-mb', 'lots'], home).status).toBe(2);
  });

  it('stops the scan, which starts while the inventory loads, when the inventory cannot be read', async () => {
    const result = run(['--json', '--file', join(home, 'missing.json')], home);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--file: no such file');
    expect(result.stdout).toBe('');
  });
});
