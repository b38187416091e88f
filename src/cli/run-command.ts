// `keyhold run`: runs a program with a key's secret from the OS keychain in its environment. The
// secret is never on a command line (process lists show those) and never printed.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { adoptLegacyEntries, keyEntry } from '../keychain/key-entries';
import { openKeychain } from '../keychain/keychain';
import type { ApiKey } from '../shared/domain';
import { API_KEY_ENV, PLATFORM_CREDENTIAL_ENV } from '../shared/env-names';
import { AppError } from '../shared/errors';
import { parseKey } from '../shared/key-format';
import { resolveKey } from './key-choice';
import { fetchSnapshot, keychainOwner, openPlatform } from './sources';
import { forTerminal } from './terminal';
import { UsageError } from './usage';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

export async function runCommand(args: string[], now: number): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      env: { type: 'string', default: API_KEY_ENV },
      db: { type: 'string' },
      url: { type: 'string' },
    },
    strict: true,
  });
  if (values.key === undefined) throw new UsageError('--key is required');
  if (!ENV_NAME.test(values.env))
    throw new UsageError(`--env must be an environment variable name, got "${forTerminal(values.env)}"`);
  const [command, ...commandArgs] = positionals;
  if (command === undefined) throw new UsageError('give the command to run after --');

  const source = await openPlatform(values);
  let key: ApiKey;
  let keys: ApiKey[];
  let owner: string;
  try {
    keys = (await fetchSnapshot(source, now)).keys;
    key = resolveKey(keys, values.key);
    owner = await keychainOwner(source);
  } finally {
    await source.close();
  }
  const keychain = await openKeychain();
  // A secret filed the old way (under the path or URL it was made through) moves to the platform's name.
  const partialKeys = new Map(keys.map((known) => [known.id, known.partial_key]));
  await adoptLegacyEntries(keychain, owner, async (keyId) => partialKeys.get(keyId) ?? null);
  const account = keyEntry(owner, key.id);
  const secret = await keychain.get(account);
  if (secret === null || parseKey(secret)?.partialKey !== key.partial_key) {
    throw new AppError(
      'not_found',
      `the secret of ${key.partial_key} ("${forTerminal(key.label)}") is not in the OS keychain (service "keyhold", account "${account}"): ` +
        'only keys created by Keyhold on this machine are there',
    );
  }
  if (key.status !== 'active') {
    process.stderr.write(`keyhold: warning: ${key.partial_key} is ${key.status}; the platform will refuse it\n`);
  }
  return await spawnWithSecret(command, commandArgs, { ...withoutCredentials(process.env), [values.env]: secret });
}

/** keyhold's environment without the platform credentials it reads for --url: the child gets only its own key. */
function withoutCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of PLATFORM_CREDENTIAL_ENV) delete rest[name];
  return rest;
}

/** Runs the command attached to this terminal, forwarding signals; resolves with its exit code. */
function spawnWithSecret(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const detach = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.on('error', (error) => {
      detach();
      reject(new UsageError(`cannot run "${forTerminal(command)}": ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      detach();
      // As a shell reports it: 128 + the signal's number when the command was killed.
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
