// `keyhold keys list` and `keyhold keys create`. A created key's secret goes to the OS keychain
// and is never printed, unless the admin asks for it with --print-secret.
import { parseArgs } from 'node:util';
import { keyEntry } from '../keychain/key-entries';
import { openKeychain } from '../keychain/keychain';
import type { ApiKey } from '../shared/domain';
import { AppError } from '../shared/errors';
import { toSafeJson } from '../shared/text-rules';
import { resolveKey } from './key-choice';
import { fetchSnapshot, keychainOwner, openPlatform } from './sources';
import { forTerminal, textTable } from './terminal';
import { duration, EXIT, UsageError } from './usage';

const source = { db: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

export async function keysList(args: string[], now: number, out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { ...source, account: { type: 'string' } }, strict: true });
  const platform = await openPlatform(values);
  try {
    const snapshot = await fetchSnapshot(platform, now);
    if (values.account !== undefined && !snapshot.accounts.some((account) => account.id === values.account)) {
      // Not found is the operation failing (1), as in every command; a usage error (2) is a call made wrongly.
      throw new AppError(
        'not_found',
        `--account: ${forTerminal(values.account)} is not an account this platform key can see`,
      );
    }
    const keys = snapshot.keys.filter((key) => values.account === undefined || key.account_id === values.account);
    if (values.json) {
      out(`${toSafeJson(keys, 2)}\n`);
      return EXIT.ok;
    }
    const names = new Map(snapshot.accounts.map((account) => [account.id, account.name]));
    out(`${table(keys, names)}\n${keys.length} keys\n`);
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}

function table(keys: ApiKey[], names: Map<string, string>): string {
  const day = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 10));
  const rows = [
    ['KEY', 'LABEL', 'STATUS', 'ACCOUNT', 'CREATED', 'LAST USED', 'EXPIRES'],
    ...keys.map((key) => [
      key.partial_key,
      key.label,
      key.status, // the platform derives it when read: expired once the time has passed
      names.get(key.account_id) ?? key.account_id,
      day(key.created_at),
      day(key.last_used_at),
      day(key.expires_at),
    ]),
  ];
  return textTable(rows);
}

export async function keysCreate(args: string[], now: number, out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...source,
      label: { type: 'string' },
      'expires-in': { type: 'string' },
      account: { type: 'string' },
      'print-secret': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.label === undefined) throw new UsageError('--label is required: say what the key is for');
  const expiresAt =
    values['expires-in'] === undefined
      ? null
      : new Date(now + duration(values['expires-in'], 'expires-in')).toISOString();
  // The keychain is checked before the key exists, so a key is never made that nobody can hold.
  const keychain = await openKeychain();
  if (!values['print-secret']) {
    try {
      await keychain.list();
    } catch (error) {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}. No key was created; use --print-secret to create one and see it once instead.`,
      );
    }
  }
  const platform = await openPlatform(values);
  try {
    const accountId = values.account ?? (await platform.platform.me()).id;
    const { key, secret } = await platform.platform.createKey(accountId, {
      label: values.label,
      expires_at: expiresAt,
    });
    const account = keyEntry(await keychainOwner(platform), key.id);
    if (values['print-secret']) {
      out(`Created ${key.partial_key} ("${forTerminal(key.label)}"). It is shown once: store it now.\n${secret}\n`);
      return EXIT.ok;
    }
    await keychain.set(account, secret);
    if (values.json) out(`${toSafeJson({ key, keychain: { service: 'keyhold', account } }, 2)}\n`);
    else
      out(
        `Created ${key.partial_key} ("${forTerminal(key.label)}") in ${accountId}, expires ${key.expires_at ?? 'never'}.\nIts secret is in the OS keychain: service "keyhold", account "${account}".\n`,
      );
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}

/** `2027-01-31` (its first instant, UTC) or an ISO time, as the platform's instant. */
function instantOf(value: string): string {
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at))
    throw new UsageError(`--at must be a date (2027-01-31) or an ISO time, got "${forTerminal(value)}"`);
  return new Date(at).toISOString();
}

export async function keysScheduleDelete(args: string[], now: number, out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...source, at: { type: 'string' }, cancel: { type: 'boolean', default: false } },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one KEY (an id, a partial key or a label)');
  if ((values.at === undefined) === !values.cancel) throw new UsageError('give --at WHEN or --cancel');
  const deletesAt = values.at === undefined ? null : instantOf(values.at);
  const platform = await openPlatform(values);
  try {
    const key = resolveKey((await fetchSnapshot(platform, now)).keys, positionals[0] as string, 'KEY');
    const updated = await platform.platform.updateKey(key.account_id, key.id, { deletes_at: deletesAt });
    if (values.json) out(`${toSafeJson(updated, 2)}\n`);
    else if (updated.deletes_at === null)
      out(`No deletion scheduled for ${updated.partial_key} ("${forTerminal(updated.label)}").\n`);
    else
      out(
        `${updated.partial_key} ("${forTerminal(updated.label)}") will be deleted by the platform at ${updated.deletes_at}.\n`,
      );
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}
