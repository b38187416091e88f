// The last step: where the secret went, and the one chance to take it when the keychain failed.
import { Alert, Button, Checkbox, Code, Group, Stack } from '@mantine/core';
import type { Dispatch } from 'react';
import { API_KEY_ENV } from '../../../../../shared/env-names';
import type { CreateKeyResult } from '../../../../../shared/ipc/window-data';
import { copySecret } from '../key-commands';
import type { WizardAction, WizardState } from './wizard-state';

export function DoneStep(props: {
  state: WizardState;
  created: CreateKeyResult;
  dispatch: Dispatch<WizardAction>;
  onToggleReveal: () => void;
}) {
  const { state, created, dispatch, onToggleReveal } = props;
  const stored = created.keychain.stored;
  return (
    <Stack mt="md" data-testid="wizard-done">
      {created.keychain.stored ? (
        <Alert color="teal" title="Stored in the OS keychain">
          Service <Code>keyhold</Code>, account <Code data-testid="keychain-account">{created.keychain.account}</Code>.
          Copy it from here now, or later from the key’s menu.
        </Alert>
      ) : (
        <Alert color="red" title="The OS keychain is unavailable" data-testid="keychain-unavailable">
          {created.keychain.reason} This is the only time the key is shown: select it below and store it now.
        </Alert>
      )}
      <Code block data-testid="created-secret">
        {created.secret ?? state.revealed ?? `${created.key.partial_key}.${'•'.repeat(49)}`}
      </Code>
      {stored && (
        <Group>
          <Button variant="default" onClick={onToggleReveal} data-testid="reveal">
            {state.revealed ? 'Hide' : 'Reveal'}
          </Button>
          <Button variant="default" onClick={() => void copySecret(created.key, 'plain')} data-testid="copy">
            Copy
          </Button>
          <Button variant="default" onClick={() => void copySecret(created.key, 'env')} data-testid="copy-env">
            Copy as {API_KEY_ENV}=…
          </Button>
        </Group>
      )}
      {state.error && <Alert color="red">{state.error}</Alert>}
      {state.askConfirm && !state.confirmed && (
        <Alert color="orange" data-testid="confirm-stored-alert">
          {stored
            ? 'Confirm that your application has the key before closing.'
            : 'The full key is not shown again. Confirm that it is stored before closing.'}
        </Alert>
      )}
      <Checkbox
        label="I have stored this key where my application can read it"
        checked={state.confirmed}
        onChange={(event) => dispatch({ type: 'edit', patch: { confirmed: event.currentTarget.checked } })}
        data-testid="confirm-stored"
      />
    </Stack>
  );
}
