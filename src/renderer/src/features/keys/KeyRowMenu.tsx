import { ActionIcon, Menu } from '@mantine/core';
import type { ApiKey } from '../../../../shared/domain';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { copySecret, forgetSecret, reactivateKey, revokeKey } from './key-commands';

export function KeyRowMenu({ apiKey }: { apiKey: ApiKey }) {
  const inKeychain = useInventoryStore((state) => state.keychainIds.has(apiKey.id));
  const open = useUiStore((state) => state.open);
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          aria-label={`Actions for ${apiKey.label}`}
          onClick={(event) => event.stopPropagation()}
        >
          ⋯
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
        <Menu.Item onClick={() => open({ detailsKeyId: apiKey.id })}>Details</Menu.Item>
        <Menu.Item onClick={() => open({ editKeyId: apiKey.id })}>Edit label or expiration…</Menu.Item>
        {apiKey.status === 'revoked' ? (
          <Menu.Item onClick={() => void reactivateKey(apiKey)}>Reactivate</Menu.Item>
        ) : (
          <Menu.Item color="orange" onClick={() => void revokeKey(apiKey)}>
            Revoke
          </Menu.Item>
        )}
        {inKeychain && (
          <>
            <Menu.Divider />
            <Menu.Label>Stored in the OS keychain</Menu.Label>
            <Menu.Item onClick={() => void copySecret(apiKey, 'plain')}>Copy key</Menu.Item>
            <Menu.Item onClick={() => void copySecret(apiKey, 'env')}>Copy as ITELLICO_API_KEY=…</Menu.Item>
            <Menu.Item onClick={() => void forgetSecret(apiKey)}>Remove from keychain</Menu.Item>
          </>
        )}
        <Menu.Divider />
        <Menu.Item color="red" onClick={() => open({ deleteKeyId: apiKey.id })}>
          Delete…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
