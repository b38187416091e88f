import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { errorMessage, ipc } from '../../ipc';
import { useUiStore } from '../../stores/ui-store';
import { addConnection } from './connection-commands';

export function AddConnectionModal() {
  const opened = useUiStore((state) => state.addConnectionOpen);
  const close = useUiStore((state) => state.close);
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (opened) {
      setName('');
      setBaseUrl('');
      setApiKey('');
      setResult(null);
    }
  }, [opened]);

  /** Runs a step with the buttons busy; a failure shows in the result box, in words. */
  const attempt = async (step: () => Promise<void>) => {
    setBusy(true);
    try {
      await step();
    } catch (error) {
      setResult({ ok: false, message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const test = () =>
    attempt(async () => {
      const account = await ipc.connections.test({ base_url: baseUrl, api_key: apiKey });
      setResult({
        ok: true,
        message: `Connected: the key belongs to “${account.account_name}” (${account.account_id}).`,
      });
    });

  const save = () =>
    attempt(async () => {
      const added = await addConnection({ name, base_url: baseUrl, api_key: apiKey });
      notifications.show({
        color: 'teal',
        title: 'Connection added',
        message: `${added.name}: its API key is in the OS keychain.`,
      });
      close('addConnection');
    });

  return (
    <Modal opened={opened} onClose={() => close('addConnection')} title="Add a remote platform" size="lg">
      <Stack>
        <TextInput
          label="Name"
          placeholder="Production platform"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="conn-name"
        />
        <TextInput
          label="Base URL"
          placeholder="https://keys.example.com"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.currentTarget.value)}
          data-testid="conn-url"
        />
        <PasswordInput
          label="API key"
          description="Stored in the OS keychain, never in Keyhold's database"
          value={apiKey}
          onChange={(e) => setApiKey(e.currentTarget.value)}
          data-testid="conn-key"
        />
        {result && (
          <Alert color={result.ok ? 'teal' : 'red'} data-testid="conn-result">
            {result.message}
          </Alert>
        )}
        <Text size="xs" c="dimmed">
          The connection is tested before it is saved.
        </Text>
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => void test()}
            loading={busy}
            disabled={!baseUrl || !apiKey}
            data-testid="conn-test"
          >
            Test
          </Button>
          <Button
            onClick={() => void save()}
            loading={busy}
            disabled={!name || !baseUrl || !apiKey}
            data-testid="conn-save"
          >
            Test and save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
