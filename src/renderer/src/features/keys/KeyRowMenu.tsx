// The actions menu of a table row. One instance serves the whole table, anchored where the row's
// ⋯ button is, so rows stay cheap to render.
import { Menu } from '@mantine/core';
import type { ApiKey } from '../../../../shared/domain';
import { API_KEY_ENV } from '../../../../shared/env-names';
import { MenuAnchorBox } from '../../lib/menu-anchor';
import { TEXT_TONE } from '../../lib/text-tones';
import { selectWhyReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { startWorkflow } from '../workflows/workflow-commands';
import { copySecret, forgetSecret, reactivateKey } from './key-commands';

export interface MenuAnchor {
  key: ApiKey;
  rect: { left: number; top: number; width: number; height: number };
  /** The row's ⋯ button: the focus goes back to it when the menu closes (and from a dialog opened here). */
  opener: HTMLElement;
}

export function KeyRowMenu({ anchor, onClose }: { anchor: MenuAnchor | null; onClose(): void }) {
  const inKeychain = useInventoryStore((state) => (anchor ? state.keychainIds.has(anchor.key.id) : false));
  // An imported file cannot change, nor anything while the platform is out of reach: the menu says
  // why at its top and its actions are off (the keychain's copy still works).
  const why = useInventoryStore(selectWhyReadOnly);
  const locked = why !== null;
  const open = useUiStore((state) => state.open);
  if (!anchor) return null;
  const keyRecord = anchor.key;
  return (
    <Menu
      opened
      onChange={(opened) => {
        if (opened) return;
        anchor.opener.focus();
        onClose();
      }}
      position="bottom-end"
      shadow="md"
      withinPortal
    >
      <Menu.Target>
        <MenuAnchorBox rect={anchor.rect} />
      </Menu.Target>
      <Menu.Dropdown>
        {why && (
          <Menu.Label maw={280} data-testid="row-menu-why">
            {why}
          </Menu.Label>
        )}
        <Menu.Item onClick={() => open({ detailsKeyId: keyRecord.id })}>Details</Menu.Item>
        <Menu.Item disabled={locked} onClick={() => open({ editKeyId: keyRecord.id })}>
          Edit label or expiration…
        </Menu.Item>
        {keyRecord.status !== 'revoked' && (
          <Menu.Item disabled={locked} onClick={() => open({ extendKeyId: keyRecord.id })}>
            Extend expiration…
          </Menu.Item>
        )}
        {keyRecord.status === 'revoked' ? (
          <Menu.Item disabled={locked} onClick={() => void reactivateKey(keyRecord)}>
            Reactivate
          </Menu.Item>
        ) : (
          <Menu.Item disabled={locked} c={TEXT_TONE.orange} onClick={() => open({ revokeKeyId: keyRecord.id })}>
            Revoke…
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item disabled={locked} onClick={() => void startWorkflow('rotation', keyRecord)}>
          Rotate…
        </Menu.Item>
        <Menu.Item disabled={locked} c={TEXT_TONE.red} onClick={() => void startWorkflow('incident', keyRecord)}>
          Compromised…
        </Menu.Item>
        {inKeychain && (
          <>
            <Menu.Divider />
            <Menu.Label>Stored in the OS keychain</Menu.Label>
            <Menu.Item onClick={() => void copySecret(keyRecord, 'plain')}>Copy key</Menu.Item>
            <Menu.Item onClick={() => void copySecret(keyRecord, 'env')}>Copy as {API_KEY_ENV}=…</Menu.Item>
            <Menu.Item onClick={() => void forgetSecret(keyRecord)}>Remove from keychain</Menu.Item>
          </>
        )}
        <Menu.Divider />
        <Menu.Item disabled={locked} c={TEXT_TONE.red} onClick={() => open({ deleteKeyId: keyRecord.id })}>
          Delete…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
