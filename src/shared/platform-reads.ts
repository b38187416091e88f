// Whole reads over any KeyPlatform, page by page: the app's sync and notices and the CLI's
// inventory all walk the platform the same way.
import type { KeyChanges } from './changes';
import type { Account, ApiKey } from './domain';
import type { KeyPlatform } from './key-platform';
import type { ListKeysInput } from './schemas';
import { MAX_CHANGES_PAGE } from './sync-limits';

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

/**
 * The pages of one sync of the account's tree (every key, or with `since` only what changed), in
 * order; each page is asked for while the one before it is being handled.
 */
export async function* changePages(
  platform: KeyPlatform,
  accountId: string,
  since: string | null,
): AsyncGenerator<KeyChanges> {
  const ask = (query: { since?: string; cursor?: string }) => {
    const asked = platform.keyChanges(accountId, { limit: MAX_CHANGES_PAGE, ...query });
    asked.catch(() => {}); // a caller that stops early never awaits it
    return asked;
  };
  let asked = ask(since === null ? {} : { since });
  for (;;) {
    const page = await asked;
    if (page.next_cursor) asked = ask({ cursor: page.next_cursor });
    yield page;
    if (!page.next_cursor) return;
  }
}
