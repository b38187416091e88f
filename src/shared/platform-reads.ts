// Whole reads over any KeyPlatform, page by page: the app's sync and notices and the CLI's
// inventory all walk the platform the same way.
import type { Account, ApiKey } from './domain';
import type { KeyPlatform } from './key-platform';
import type { ListKeysInput } from './schemas';

/** Keys per page: the platform's largest page. */
export const PAGE_SIZE = 1000;

/** The account and everything under it, parents first. */
export async function accountTree(platform: KeyPlatform, rootId: string): Promise<Account[]> {
  const root = await platform.getAccount(rootId);
  const tree: Account[] = [root];
  for (let i = 0; i < tree.length; i++) {
    tree.push(...(await platform.listSubaccounts((tree[i] as Account).id)));
  }
  return tree;
}

/**
 * Every key the query matches, page by page. `onPage` sees the keys so far after each page, and
 * stops the listing early by returning false.
 */
export async function allKeys(
  platform: KeyPlatform,
  accountId: string,
  query: Omit<ListKeysInput, 'limit' | 'cursor'> = {},
  onPage?: (keys: ApiKey[], done: boolean) => unknown,
): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  let cursor: string | undefined;
  do {
    const page = await platform.listKeys(accountId, {
      include_subaccounts: true,
      ...query,
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    keys.push(...page.data);
    cursor = page.next_cursor ?? undefined;
    if (onPage?.(keys, !cursor) === false) break;
  } while (cursor);
  return keys;
}
