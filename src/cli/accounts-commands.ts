// `keyhold accounts …`: the account tree from a terminal. Without --db or --url they act on the
// desktop app's embedded platform, like `keys`.
import { parseArgs } from 'node:util';
import type { Account } from '../shared/domain';
import { accountTree } from '../shared/platform-reads';
import { toSafeJson } from '../shared/text-rules';
import { openPlatform, type PlatformSource } from './sources';
import { forTerminal, textTable } from './terminal';
import { EXIT, UsageError } from './usage';

const OPTIONS = { db: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

type Out = (text: string) => void;

async function onPlatform<T>(values: { db?: string; url?: string }, work: (source: PlatformSource) => Promise<T>) {
  const source = await openPlatform(values);
  try {
    return await work(source);
  } finally {
    await source.close();
  }
}

/** The one positional argument an account command takes: the account id. */
function accountId(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give exactly one account ID');
  return positionals[0] as string;
}

const accountLine = (account: Account) => `${account.id} "${forTerminal(account.name)}" (${account.status})`;

export async function accountsList(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true });
  const tree = await onPlatform(values, async ({ platform }) => accountTree(platform, (await platform.me()).id));
  if (values.json) {
    out(`${toSafeJson(tree, 2)}\n`);
    return EXIT.ok;
  }
  const depth = new Map<string | null, number>([[null, -1]]);
  const rows = tree.map((account) => {
    const level = (depth.get(account.parent_id) ?? -1) + 1;
    depth.set(account.id, level);
    return [account.id, `${'  '.repeat(level)}${account.name}`, account.status, account.parent_id ?? '-'];
  });
  out(`${textTable([['ID', 'NAME', 'STATUS', 'PARENT'], ...rows])}\n${tree.length} accounts\n`);
  return EXIT.ok;
}

export async function accountsCreate(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...OPTIONS, name: { type: 'string' }, parent: { type: 'string' } },
    strict: true,
  });
  if (values.name === undefined) throw new UsageError('--name is required');
  const name = values.name;
  const account = await onPlatform(values, async ({ platform }) =>
    platform.createSubaccount(values.parent ?? (await platform.me()).id, { name }),
  );
  out(values.json ? `${toSafeJson(account, 2)}\n` : `${account.id}\n`);
  return EXIT.ok;
}

export async function accountsRename(args: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...OPTIONS, name: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const id = accountId(positionals);
  if (values.name === undefined) throw new UsageError('--name is required');
  const name = values.name;
  const account = await onPlatform(values, ({ platform }) => platform.updateAccount(id, { name }));
  out(values.json ? `${toSafeJson(account, 2)}\n` : `Renamed ${accountLine(account)}\n`);
  return EXIT.ok;
}

export function accountsSetStatus(status: Account['status']) {
  return async (args: string[], out: Out): Promise<number> => {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    const id = accountId(positionals);
    const account = await onPlatform(values, ({ platform }) => platform.updateAccount(id, { status }));
    const what = status === 'inactive' ? 'Deactivated' : 'Activated';
    out(values.json ? `${toSafeJson(account, 2)}\n` : `${what} ${accountLine(account)}\n`);
    return EXIT.ok;
  };
}
