// `keyhold sync`: an inventory file kept in step with a platform through its change feed, for
// auditing offline. The first run reads every key; later runs only what changed since the file's
// sync token. The file is replaced (written beside it, then renamed) only once the sync is complete.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Account, ApiKey } from '../shared/domain';
import { AppError } from '../shared/errors';
import { keysOfColumns } from '../shared/key-columns';
import { changePages } from '../shared/platform-reads';
import { INVENTORY_FORMAT, type InventorySnapshot, parseInventoryFile } from '../shared/report/inventory-file';
import { DAY_MS } from '../shared/utc-time';
import { readPolicyFile } from './policy-file';
import { openPlatform, type PlatformSource } from './sources';
import { forTerminal } from './terminal';
import { EXIT, UsageError } from './usage';

interface Synced {
  full: boolean;
  accounts: Account[];
  keys: Map<string, ApiKey>;
  changes: number;
  token: string;
}

export async function syncCommand(args: string[], now: number, out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, url: { type: 'string' }, to: { type: 'string' }, policy: { type: 'string' } },
    strict: true,
  });
  if (values.to === undefined) throw new UsageError('--to: give the inventory file to keep in step');
  if (values.db === undefined && values.url === undefined) throw new UsageError('give --url URL or --db FILE');
  const target = resolve(values.to);
  const previous = readPrevious(target);
  const policy = readPolicyFile(values.policy);
  const source = await openPlatform(values);
  try {
    const me = await source.platform.me();
    // A file of another platform or account (or written by an export) is read whole again, never mixed in.
    const same =
      previous?.source.name === source.name &&
      previous.source.base_url === source.base_url &&
      previous.accounts[0]?.id === me.id;
    const synced = await sync(source, me.id, same ? previous : null);
    const useSince = new Date(now - policy.recentUseDays * DAY_MS).toISOString();
    const snapshot: InventorySnapshot = {
      source: {
        name: source.name,
        kind: source.kind,
        base_url: source.base_url,
        synced_at: new Date(now).toISOString(),
      },
      exported_at: new Date(now).toISOString(),
      accounts: synced.accounts,
      keys: [...synced.keys.values()],
      environments: same ? previous.environments : {},
      key_use_since: useSince,
      key_use: await source.platform.keyUse(me.id, useSince),
      sync_token: synced.token,
    };
    writeReplacing(target, JSON.stringify({ format: INVENTORY_FORMAT, version: 1, ...snapshot }));
    const what = synced.full ? 'every key' : `${synced.changes} ${synced.changes === 1 ? 'change' : 'changes'}`;
    out(
      forTerminal(
        `Synced ${source.name}: ${what}; ${snapshot.keys.length} keys in ${snapshot.accounts.length} accounts in ${target}.\n`,
      ),
    );
    return EXIT.ok;
  } finally {
    await source.close();
  }
}

function readPrevious(target: string): InventorySnapshot | null {
  if (!existsSync(target)) return null;
  try {
    return parseInventoryFile(basename(target), readFileSync(target, 'utf8'));
  } catch (error) {
    throw new UsageError(`--to: ${error instanceof Error ? error.message : String(error)}; give another file`);
  }
}

/** The file's inventory brought up to date: from its token, or (none, or too old) every key again. */
async function sync(source: PlatformSource, accountId: string, previous: InventorySnapshot | null): Promise<Synced> {
  const token = previous?.sync_token ?? null;
  if (previous && token !== null) {
    try {
      return await readFeed(source, accountId, token, previous);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'sync_token_expired')) throw error;
    }
  }
  return readFeed(source, accountId, null, null);
}

async function readFeed(
  source: PlatformSource,
  accountId: string,
  since: string | null,
  previous: InventorySnapshot | null,
): Promise<Synced> {
  const keys = new Map((previous?.keys ?? []).map((key) => [key.id, key]));
  const accounts = new Map((previous?.accounts ?? []).map((account) => [account.id, account]));
  let changes = 0;
  for await (const page of changePages(source.platform, accountId, since)) {
    for (const account of page.accounts) accounts.set(account.id, account);
    for (const key of keysOfColumns(page.keys)) keys.set(key.id, key);
    for (const keyId of page.deleted_key_ids) keys.delete(keyId);
    changes += page.keys.id.length + page.deleted_key_ids.length;
    // The first page's accounts: a full sync's whole tree, parents first; or those changed (new ones go last).
    if (page.sync_token !== null)
      return { full: since === null, accounts: [...accounts.values()], keys, changes, token: page.sync_token };
  }
  throw new Error('the change feed ended without a last page');
}

/** Writes beside `target` and renames over it: a reader never sees half a file, a failure leaves the old one. */
function writeReplacing(target: string, text: string): void {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
