// What the window does to accounts, on whichever platform is active: create a subaccount, rename,
// deactivate and activate. A remote connection's offline cache follows each change.
import type { Account } from '../../shared/domain';
import type { KeyPlatform } from '../../shared/key-platform';
import type { UpdateAccountInput } from '../../shared/schemas';
import type { AppStateRepo } from '../store/app-state-repo';
import type { Connections } from './connections';

export class AccountActions {
  constructor(
    private readonly connections: Connections,
    private readonly state: AppStateRepo,
  ) {}

  create(parentId: string, name: string): Promise<Account> {
    return this.change('Creating a subaccount', (platform) => platform.createSubaccount(parentId, { name }));
  }

  update(accountId: string, patch: UpdateAccountInput): Promise<Account> {
    return this.change('Changing an account', (platform) => platform.updateAccount(accountId, patch));
  }

  private change(what: string, act: (platform: KeyPlatform) => Promise<Account>): Promise<Account> {
    return this.connections.withPlatform(what, async ({ info, platform }) => {
      const account = await act(platform);
      if (info.kind === 'remote') this.state.cacheAccount(info.id, account);
      return account;
    });
  }
}
