// Rotations and incidents on the real services: the embedded engine, the app database, the OS
// keychain (a throwaway Secret Service), real .env files and real git repositories in a temp
// folder. Time is a ManualClock, so the scheduled deletion's day can be reached.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKeychain } from '../../../src/keychain/keychain';
import type { Clipboard } from '../../../src/main/app/clipboard-guard';
import { createApp, type KeyholdApp } from '../../../src/main/app/create-app';
import type { Notice } from '../../../src/main/app/expiry-notices';
import { testAppInfo } from '../../support/app-info';
import { ManualClock, ManualTimers } from '../../support/clock';

const DAY = 86_400_000;
let dir: string;
let app: KeyholdApp;
let clock: ManualClock;
let clipboard: string;
const shown: Notice[] = [];

const memory: Clipboard = {
  readText: async () => clipboard,
  writeText: async (text) => {
    clipboard = text;
  },
  clear: () => {
    clipboard = '';
  },
};

/** The app on the test's data folder and clock; called again, it is a restart. */
async function startApp(): Promise<KeyholdApp> {
  return createApp({
    info: testAppInfo(join(dir, 'data')),
    log: () => {},
    keychain: await openKeychain(`keyhold-test-${randomBytes(4).toString('hex')}`),
    clipboard: memory,
    emit: () => {},
    userName: 'tester',
    clock,
    timers: new ManualTimers(),
    notifier: { show: (notice) => shown.push(notice) },
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-workflows-'));
  clock = new ManualClock(Date.now());
  clipboard = '';
  shown.length = 0;
  app = await startApp();
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });

describe('a rotation', () => {
  it('goes through its five steps, resumes where it stopped, and schedules the deletion, which the platform then makes', async () => {
    const { handlers } = app;
    const root = (await handlers['inventory:load']({})).accounts[0]?.id ?? '';
    const old = await handlers['keys:create']({ account_id: root, label: 'Billing prod', expires_at: null });

    const started = await handlers['workflows:start']({
      kind: 'rotation',
      account_id: root,
      key_id: old.key.id,
      exposed_at: null,
    });
    expect(started).toMatchObject({ status: 'in_progress', step: 0, old_key: { id: old.key.id } });
    // Starting again resumes the open one.
    expect(
      (await handlers['workflows:start']({ kind: 'rotation', account_id: root, key_id: old.key.id, exposed_at: null }))
        .id,
    ).toBe(started.id);
    await expect(handlers['workflows:revokeOld']({ id: started.id })).rejects.toMatchObject({ code: 'conflict' });

    const { workflow: replaced, created } = await handlers['workflows:replace']({
      id: started.id,
      label: 'Billing prod (2026)',
      expires_at: new Date(clock.now() + 90 * DAY).toISOString(),
    });
    expect(replaced.step).toBe(1);
    expect(created.keychain.stored).toBe(true);
    const secret = (await handlers['secrets:reveal']({ key_id: created.key.id })).secret;

    // Update applications: the clipboard with the remembered variable, and a .env file in a repo.
    expect(await handlers['workflows:setEnvVar']({ name: 'BILLING_KEY' })).toEqual({ env_var: 'BILLING_KEY' });
    await handlers['workflows:copy']({ id: started.id, format: 'env' });
    expect(clipboard).toBe(`BILLING_KEY=${secret}`);
    const repo = join(dir, 'service');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    const env = join(repo, '.env');
    writeFileSync(env, '# service\nBILLING_KEY=sk-00000000.old\nPORT=1\n', { mode: 0o640 });
    const first = await handlers['workflows:writeEnv']({ id: started.id, path: env });
    expect(first.written).toEqual({ path: env, line: 'replaced', git: 'not_ignored' });
    expect(readFileSync(env, 'utf8')).toBe(`# service\nBILLING_KEY=${secret}\nPORT=1\n`);
    expect(statSync(env).mode & 0o777).toBe(0o640);
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    expect((await handlers['workflows:writeEnv']({ id: started.id, path: env })).written.git).toBe('ignored');
    const outside = join(dir, 'plain.env');
    expect((await handlers['workflows:writeEnv']({ id: started.id, path: outside })).written).toMatchObject({
      line: 'added',
      git: 'no_repository',
    });
    await expect(handlers['workflows:writeEnv']({ id: started.id, path: 'relative/.env' })).rejects.toThrow(
      /path: must be an absolute path/,
    );
    await handlers['workflows:advance']({ id: started.id, step: 'update' });

    // A restart of the app: the rotation is still there, at step "test".
    await app.close();
    app = await startApp();
    const { workflows } = await app.handlers['workflows:list']({});
    expect(workflows.map((w) => [w.id, w.step, w.status])).toEqual([[started.id, 2, 'in_progress']]);
    expect((await app.handlers['workflows:list']({})).env_var).toBe('BILLING_KEY');

    // Test: the new key used by the application, seen by the check.
    const probe = await app.handlers['workflows:probe']({ id: started.id });
    expect(probe.new_first_used_at).toBeNull();
    await app.handlers['workflows:advance']({ id: started.id, step: 'test' });
    await app.handlers['workflows:revokeOld']({ id: started.id });
    const head = await app.handlers['inventory:load']({});
    expect(head.keys.find((key) => key.id === old.key.id)?.status).toBe('revoked');
    const done = await app.handlers['workflows:schedule']({ id: started.id });
    expect(done.status).toBe('done');
    expect(Date.parse(done.deletion_due_at ?? '') - clock.now()).toBe(30 * DAY);
    expect(JSON.stringify(done)).not.toContain(secret.slice(12)); // no secret in what is saved
    // The platform holds the deletion: the key says when.
    const scheduled = (await app.handlers['keys:details']({ account_id: root, key_id: old.key.id })).key;
    expect(scheduled.deletes_at).toBe(done.deletion_due_at);

    // The day after it is due, the platform has deleted it by itself, at the app's start.
    await app.close();
    clock.advance(30 * DAY + 1);
    app = await startApp();
    await expect
      .poll(async () => (await app.handlers['inventory:load']({})).keys.some((key) => key.id === old.key.id))
      .toBe(false);
    expect((await app.handlers['inventory:load']({})).keys.map((key) => key.id)).toContain(created.key.id);
  }, 60_000);

  it('cancel leaves both keys as they are', async () => {
    const { handlers } = app;
    const root = (await handlers['inventory:load']({})).accounts[0]?.id ?? '';
    const old = await handlers['keys:create']({ account_id: root, label: 'Search staging', expires_at: null });
    const started = await handlers['workflows:start']({
      kind: 'rotation',
      account_id: root,
      key_id: old.key.id,
      exposed_at: null,
    });
    const { created } = await handlers['workflows:replace']({
      id: started.id,
      label: 'Search staging 2',
      expires_at: null,
    });
    const cancelled = await handlers['workflows:cancel']({ id: started.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.log.at(-1)?.what).toBe('Cancelled: both keys left as they are');
    const keys = (await handlers['inventory:load']({})).keys;
    expect(keys.filter((key) => [old.key.id, created.key.id].includes(key.id)).map((key) => key.status)).toEqual([
      'active',
      'active',
    ]);
  });
});

describe('a compromised key', () => {
  it('revokes first, then replaces, reviews and writes a summary that names the key but never a secret', async () => {
    const { handlers } = app;
    const root = (await handlers['inventory:load']({})).accounts[0]?.id ?? '';
    const old = await handlers['keys:create']({ account_id: root, label: 'Payments prod', expires_at: null });
    const oldSecret = (await handlers['secrets:reveal']({ key_id: old.key.id })).secret;
    const exposed = new Date(clock.now() - 2 * DAY).toISOString();
    const incident = await handlers['workflows:start']({
      kind: 'incident',
      account_id: root,
      key_id: old.key.id,
      exposed_at: exposed,
    });
    await expect(
      handlers['workflows:replace']({ id: incident.id, label: 'Payments prod 2', expires_at: null }),
    ).rejects.toMatchObject({ code: 'conflict' }); // revoke comes first
    expect((await handlers['workflows:revokeOld']({ id: incident.id })).step).toBe(1);
    const { created } = await handlers['workflows:replace']({
      id: incident.id,
      label: 'Payments prod 2',
      expires_at: null,
    });
    const newSecret = (await handlers['secrets:reveal']({ key_id: created.key.id })).secret;
    await handlers['workflows:advance']({ id: incident.id, step: 'update' });
    const review = await handlers['workflows:review']({ id: incident.id });
    expect(review.usage).toHaveLength(90);
    expect(review.events.map((event) => event.type)).toEqual(['created', 'revoked']);
    // Nothing presented it over HTTP: no attempt after the revocation, no request to page through.
    expect(review.after_revoke).toEqual({ count: 0, more: false, last: null });
    expect(await handlers['workflows:requests']({ id: incident.id, outcome: 'revoked' })).toEqual({
      data: [],
      next_cursor: null,
    });
    await handlers['workflows:advance']({ id: incident.id, step: 'review' });
    await handlers['workflows:update']({
      id: incident.id,
      notes: { how: 'Pasted in a public issue', prevention: 'Secret scanning on the tracker' },
      checklist: [true, true, false, true, false],
    });
    const { markdown } = await handlers['workflows:summary']({ id: incident.id });
    expect(markdown).toContain(`# Incident: API key ${old.key.partial_key} compromised`);
    expect(markdown).toContain(`Suspected exposure: ${exposed}`);
    expect(markdown).toContain('- [x] Found where the key leaked');
    expect(markdown).toContain('How it leaked: Pasted in a public issue');
    expect(markdown).toContain(`Replacement: ${created.key.partial_key}`);
    for (const secret of [oldSecret, newSecret]) expect(markdown).not.toContain(secret.slice(12));
    await handlers['workflows:advance']({ id: incident.id, step: 'notify' });
    const closed = await handlers['workflows:advance']({ id: incident.id, step: 'investigate' });
    expect(closed.status).toBe('done');
  });
});
