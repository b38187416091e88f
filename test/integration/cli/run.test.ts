// `keyhold run` as a process with the real OS keychain (the throwaway Secret Service): the child
// gets the secret in its environment, its exit code and signals pass through, and the secret is
// in no output and on no command line.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyEntry } from '../../../src/keychain/key-entries';
import { KEYCHAIN_SERVICE, openKeychain } from '../../../src/keychain/keychain';
import { admin, openTestEngine } from '../../support/engine';
import { KEYHOLD_NODE, keyholdArgs } from '../../support/keyhold-command';
import { startTestServer } from '../../support/server';

const NODE_ARGS = keyholdArgs('run');
const f = await openTestEngine();
let secret: string;
let keyId: string;
let partialKey: string;

// Prints a digest of the variable, never the value, and exits with the code it is given.
const CHILD = `const v = process.env[process.argv[1]] ?? ''; console.log('digest ' + require('node:crypto').createHash('sha256').update(v).digest('hex')); process.exit(Number(process.argv[2]));`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  const created = await f.engine.createKey(f.rootId, { label: 'Deploy bot' }, admin);
  secret = created.secret;
  keyId = created.key.id;
  partialKey = created.key.partial_key;
  await f.engine.createKey(f.rootId, { label: 'Twin' }, admin);
  await f.engine.createKey(f.rootId, { label: 'Twin' }, admin);
  await f.engine.createKey(f.rootId, { label: 'Not here' }, admin);
  await f.engine.flush();
  await (await openKeychain()).set(keyEntry(await f.engine.platformId(), keyId), secret);
});
afterAll(async () => {
  await (await openKeychain()).delete(keyEntry(await f.engine.platformId(), keyId));
  await f.cleanup();
});

const run = (args: string[]) => spawnSync(KEYHOLD_NODE, [...NODE_ARGS, '--db', f.file, ...args], { encoding: 'utf8' });

describe('keyhold run', () => {
  it('gives the command the secret in ITELLICO_API_KEY (by label, id or partial key) and exits with its code', async () => {
    for (const key of ['Deploy bot', keyId, partialKey]) {
      const result = run(['--key', key, '--', process.execPath, '-e', CHILD, 'ITELLICO_API_KEY', '7']);
      expect({ key, status: result.status, stdout: result.stdout.trim() }).toEqual({
        key,
        status: 7,
        stdout: `digest ${sha256(secret)}`,
      });
      expect(result.stdout + result.stderr).not.toContain(secret.slice(12));
    }
    const named = run([
      '--key',
      keyId,
      '--env',
      'BILLING_KEY',
      '--',
      process.execPath,
      '-e',
      CHILD,
      'BILLING_KEY',
      '0',
    ]);
    expect([named.status, named.stdout.trim()]).toEqual([0, `digest ${sha256(secret)}`]);
  });

  it('passes stdin through and leaves options after -- to the command', async () => {
    const echo = `process.stdin.on('data', (d) => process.stdout.write(d.toString().toUpperCase()));`;
    const result = spawnSync(
      process.execPath,
      [...NODE_ARGS, '--db', f.file, '--key', keyId, '--', process.execPath, '-e', echo, '--', '--help'],
      { input: 'hello', encoding: 'utf8' },
    );
    expect([result.status, result.stdout]).toEqual([0, 'HELLO']);
  });

  it('forwards a signal to the command and reports it as 128 + its number', async () => {
    const child = spawn(process.execPath, [
      ...NODE_ARGS,
      '--db',
      f.file,
      '--key',
      keyId,
      '--',
      process.execPath,
      '-e',
      // The handler first: a signal that came before it would end the process unheard.
      "process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(143); }); setInterval(() => {}, 1000); console.log('ready');",
    ]);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready')) child.kill('SIGTERM');
    });
    // 'close', not 'exit': the output may still be in the pipe when the process has exited.
    const code = await new Promise((done) => child.on('close', done));
    expect(output).toContain('got SIGTERM');
    expect(code).toBe(143);
  });

  it('exits 1 for a key not found or a secret not in the keychain, 2 when called wrongly, naming the problem', async () => {
    const unknown = run(['--key', 'Nobody', '--', 'true']);
    expect([unknown.status, unknown.stderr]).toEqual([
      1,
      expect.stringContaining('no key has the id, partial key or label "Nobody"'),
    ]);
    const twins = run(['--key', 'Twin', '--', 'true']);
    expect([twins.status, twins.stderr]).toEqual([2, expect.stringContaining('2 keys are labelled "Twin"')]);
    const missing = run(['--key', 'Not here', '--', 'true']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`is not in the OS keychain (service "${KEYCHAIN_SERVICE}"`);
    expect(run(['--key', keyId]).status).toBe(2);
    expect(run(['--key', keyId, '--env', 'BAD-NAME', '--', 'true']).status).toBe(2);
  });

  it('with --url, gives the child none of the credentials keyhold read: only the one key it was asked for', async () => {
    const server = await startTestServer();
    const created = await server.engine.createKey(server.rootId, { label: 'Remote worker' }, admin);
    const account = keyEntry(await server.engine.platformId(), created.key.id);
    const keychain = await openKeychain();
    await keychain.set(account, created.secret);
    try {
      // Not spawnSync: the server answers from this process.
      const envOf = (args: string[], env: Record<string, string>) =>
        new Promise<{ status: number | null; lines: string[] }>((done) => {
          const child = spawn(
            process.execPath,
            [...NODE_ARGS, '--url', server.url, '--key', 'Remote worker', ...args, '--', 'env'],
            {
              env: { ...process.env, ...env },
            },
          );
          let out = '';
          child.stdout.on('data', (chunk) => {
            out += chunk;
          });
          child.on('close', (status) => done({ status, lines: out.split('\n') }));
        });
      const named = await envOf(['--env', 'WORKER_KEY'], { ITELLICO_API_KEY: server.adminKey });
      expect(named.status).toBe(0);
      expect(named.lines).toContain(`WORKER_KEY=${created.secret}`);
      expect(named.lines.join('\n')).not.toContain(server.adminKey);
      expect(named.lines.filter((line) => /^(ITELLICO|KEYHOLD)_API_KEY=/.test(line))).toEqual([]);

      const legacy = await envOf([], { KEYHOLD_API_KEY: server.adminKey, ITELLICO_API_KEY: '' });
      expect(legacy.status).toBe(0);
      expect(legacy.lines.filter((line) => /^(ITELLICO|KEYHOLD)_API_KEY=/.test(line))).toEqual([
        `ITELLICO_API_KEY=${created.secret}`,
      ]);
      expect(legacy.lines.join('\n')).not.toContain(server.adminKey);
    } finally {
      await keychain.delete(account);
      await server.stop();
    }
  });
});
