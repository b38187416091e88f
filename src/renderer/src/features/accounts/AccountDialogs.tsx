// The account dialogs: a new subaccount, a new name, and the confirmation that deactivating (or
// activating) an account says what stops (or starts) working.
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Account } from '../../../../shared/domain';
import { ReturnFocus } from '../../lib/return-focus';
import { selectComplete, useInventoryStore } from '../../stores/inventory-store';
import { type AccountDialog, useUiStore } from '../../stores/ui-store';
import { createSubaccount, renameAccount, setAccountStatus } from './account-commands';

/** The account and everything below it. */
function subtreeOf(accounts: Account[], rootId: string): Account[] {
  const inside = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const account of accounts) {
      if (account.parent_id !== null && inside.has(account.parent_id) && !inside.has(account.id)) {
        inside.add(account.id);
        grew = true;
      }
    }
  }
  return accounts.filter((account) => inside.has(account.id));
}

export function AccountDialogs() {
  const dialog = useUiStore((state) => state.accountDialog);
  const close = useUiStore((state) => state.close);
  const accounts = useInventoryStore((state) => state.accounts);
  if (!dialog) return null;
  const target = accounts.find(
    (account) => account.id === (dialog.kind === 'create' ? dialog.parentId : dialog.accountId),
  );
  if (!target) return null;
  const done = () => close('account');
  return dialog.kind === 'status' ? (
    <StatusDialog account={target} accounts={accounts} onDone={done} />
  ) : (
    <NameDialog dialog={dialog} account={target} onDone={done} />
  );
}

function NameDialog(props: { dialog: AccountDialog; account: Account; onDone: () => void }) {
  const { dialog, account, onDone } = props;
  const creating = dialog.kind === 'create';
  const [name, setName] = useState(creating ? '' : account.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh form for every dialog opened
  useEffect(() => {
    setName(creating ? '' : account.name);
    setError(null);
  }, [dialog]);

  const submit = async () => {
    setBusy(true);
    const result = creating ? await createSubaccount(account.id, name) : await renameAccount(account, name);
    setBusy(false);
    if (typeof result === 'string') setError(result);
    else onDone();
  };

  return (
    <>
      <ReturnFocus />
      <Modal
        opened
        onClose={onDone}
        title={creating ? `New subaccount of “${account.name}”` : `Rename “${account.name}”`}
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack>
            <TextInput
              label="Name"
              description={creating ? 'Keys made in a subaccount reach only that subaccount' : undefined}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={error}
              maxLength={100}
              // Focused as it mounts, not after the dialog's transition: what is typed at once
              // (the first letter of "Staging") must not land on the menu that opened it.
              autoFocus
              data-autofocus
              data-testid="account-name-input"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onDone}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} disabled={name.trim() === ''} data-testid="account-name-submit">
                {creating ? 'Create subaccount' : 'Rename'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function StatusDialog(props: { account: Account; accounts: Account[]; onDone: () => void }) {
  const { account, accounts, onDone } = props;
  const keys = useInventoryStore((state) => state.entries);
  const complete = useInventoryStore(selectComplete);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const deactivating = account.status === 'active';
  const subtree = subtreeOf(accounts, account.id);
  const inside = new Set(subtree.map((each) => each.id));
  // Counted once every key is in: until then the keys' number is not said.
  const reached = complete ? keys.filter(({ key }) => inside.has(key.account_id)).length : null;
  const below = subtree.length - 1;

  const confirm = async () => {
    setBusy(true);
    const result = await setAccountStatus(account, deactivating ? 'inactive' : 'active');
    setBusy(false);
    if (typeof result === 'string') setError(result);
    else onDone();
  };

  return (
    <>
      <ReturnFocus />
      <Modal opened onClose={onDone} title={`${deactivating ? 'Deactivate' : 'Activate'} “${account.name}”?`}>
        <Stack>
          <Text size="sm" data-testid="account-status-consequence">
            {deactivating
              ? `Every request to “${account.name}”${below > 0 ? ` and its ${below} subaccount${below === 1 ? '' : 's'}` : ''} is refused with 403 “account is inactive” until you activate it again: ${reached === null ? 'its keys stop' : reached === 1 ? '1 key here stops' : `${reached} keys here stop`} working. The keys keep their status and history.`
              : `Keys that reach “${account.name}” work again${reached === null ? '' : ` (${reached} key${reached === 1 ? '' : 's'} here)`}, unless they are revoked or expired.`}
          </Text>
          {error && <Alert color="red">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button
              color={deactivating ? 'red' : undefined}
              loading={busy}
              onClick={() => void confirm()}
              data-testid="account-status-confirm"
            >
              {deactivating ? 'Deactivate' : 'Activate'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
