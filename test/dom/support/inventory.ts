// main's answer to `inventory:load` for the DOM tests' own main: an embedded connection's head.
import type { Account, ApiKey } from '../../../src/shared/domain';
import type { InventoryHead } from '../../../src/shared/ipc/window-data';

/** The head of connection `connectionId` holding `keys` (`complete`: every key of it). */
export function inventoryHead(
  connectionId: string,
  accounts: Account[],
  keys: ApiKey[],
  complete: boolean,
): InventoryHead {
  return {
    connection: {
      id: connectionId,
      kind: 'embedded',
      name: 'This computer',
      base_url: null,
      account_id: null,
      last_synced_at: null,
      last_view: null,
      source: null,
    },
    accounts,
    keys,
    complete,
    keychain_key_ids: [],
    offline: false,
    offline_reason: null,
    synced_at: null,
    read_only_reason: null,
    environments: {},
    view: null,
  };
}
