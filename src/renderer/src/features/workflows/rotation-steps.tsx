// The steps a rotation and an incident share: create the replacement, update applications, test,
// revoke the old key, schedule its deletion. Each shows the saved workflow and runs one step.
import { Alert, Button, Checkbox, Code, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { environmentFromLabel } from '../../../../shared/audit';
import type { CreateKeyResult } from '../../../../shared/ipc/window-data';
import { DAY_MS } from '../../../../shared/utc-time';
import { type EnvWrite, isEnvFileName, replacementLabel, type Workflow } from '../../../../shared/workflows';
import { ipc } from '../../ipc';
import { relativeTime } from '../../lib/format';
import { currentTime } from '../../stores/clock-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { usePolicyStore } from '../../stores/policy-store';
import { useWorkflowStore } from '../../stores/workflow-store';
import { showClipboardCountdown } from '../keys/clipboard-countdown';
import { refreshKey, runStep } from './workflow-commands';

/** The labels of the keys in the old key's account: the replacement's suggested label avoids them. */
const labelsIn = (accountId: string) =>
  useInventoryStore
    .getState()
    .entries.filter((entry) => entry.key.account_id === accountId)
    .map((entry) => entry.key.label);

export function ReplaceStep({ workflow }: { workflow: Workflow }) {
  const policy = usePolicyStore((state) => state.policy);
  const environment = environmentFromLabel(workflow.old_key.label);
  const [label, setLabel] = useState(() =>
    replacementLabel(workflow.old_key.label, labelsIn(workflow.old_key.account_id), currentTime()),
  );
  const [days, setDays] = useState<number | string>(
    environment ? policy.rotationDays[environment] : policy.rotationDays.production,
  );
  const [never, setNever] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreateKeyResult | null>(null);

  const create = async () => {
    setBusy(true);
    const expires_at = never ? null : new Date(currentTime() + Number(days) * DAY_MS).toISOString();
    const result = await runStep('Could not create the replacement', () =>
      ipc.workflows.replace({ id: workflow.id, label, expires_at }),
    );
    setBusy(false);
    if (!result) return;
    setCreated(result.created);
    useInventoryStore.getState().upsertKey(result.created.key);
    if (result.created.keychain.stored) useInventoryStore.getState().setInKeychain(result.created.key.id, true);
  };

  if (created && !created.keychain.stored) {
    // Without a keychain the secret is shown this once, as in the create wizard.
    return (
      <Alert color="red" title="The OS keychain is unavailable" data-testid="replacement-secret">
        {created.keychain.reason} Store this key now: <Code block>{created.secret}</Code>
      </Alert>
    );
  }
  return (
    <Stack>
      <Text size="sm">
        A new key in the same account as {workflow.old_key.partial_key}. Its secret goes straight into the OS keychain.
      </Text>
      <TextInput
        label="Label"
        value={label}
        onChange={(e) => setLabel(e.currentTarget.value)}
        data-testid="replace-label"
      />
      <Group align="flex-end">
        <NumberInput
          label="Expires in (days)"
          description={
            environment
              ? `A ${environment} key: the policy rotates it every ${policy.rotationDays[environment]} days`
              : 'No environment in the label: the production period is suggested'
          }
          min={1}
          max={3650}
          value={days}
          onChange={setDays}
          disabled={never}
          w={320}
          data-testid="replace-days"
        />
        <Checkbox label="No expiration" checked={never} onChange={(e) => setNever(e.currentTarget.checked)} />
      </Group>
      <Group justify="flex-end">
        <Button
          onClick={() => void create()}
          loading={busy}
          disabled={label.trim() === '' || (!never && !(Number(days) >= 1))}
          data-testid="replace-create"
        >
          Create the replacement
        </Button>
      </Group>
    </Stack>
  );
}

const GIT_VERDICT: Record<EnvWrite['git'], { color: string; text: string }> = {
  ignored: { color: 'teal', text: 'git ignores this file.' },
  not_ignored: { color: 'red', text: 'git does not ignore this file: add it to .gitignore before your next commit.' },
  tracked: {
    color: 'red',
    text: 'git tracks this file: the key would be committed. Remove it from the index and ignore it.',
  },
  no_repository: { color: 'gray', text: 'This file is not in a git repository.' },
};

export function UpdateStep({ workflow }: { workflow: Workflow }) {
  const envVar = useWorkflowStore((state) => state.envVar);
  const [variable, setVariable] = useState(envVar);
  const [path, setPath] = useState(workflow.env_file ?? '');
  const [written, setWritten] = useState<EnvWrite | null>(null);
  const [writeError, setWriteError] = useState<string | null>(null);
  const [confirmName, setConfirmName] = useState(false);
  const [busy, setBusy] = useState(false);
  const fileName = path.trim().split(/[\\/]/).pop() ?? '';
  const nameNeedsConfirm = fileName !== '' && !isEnvFileName(fileName);
  const [varError, setVarError] = useState<string | null>(null);
  useEffect(() => setVariable(envVar), [envVar]);

  const saveVariable = async () => {
    if (variable === envVar) return;
    try {
      await useWorkflowStore.getState().setEnvVar(variable);
      setVarError(null);
    } catch (error) {
      setVarError(error instanceof Error ? error.message : String(error));
    }
  };
  // A refusal (a link, a read-only file, not UTF-8...) is shown here, beside the path it names.
  const write = async () => {
    setBusy(true);
    try {
      const result = await ipc.workflows.writeEnv({
        id: workflow.id,
        path,
        confirm_name: nameNeedsConfirm && confirmName,
      });
      useWorkflowStore.getState().upsert(result.workflow);
      setWritten(result.written);
      setWriteError(null);
    } catch (error) {
      setWritten(null);
      setWriteError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const copy = (format: 'plain' | 'env') =>
    runStep('Could not copy the key', async () => {
      const { clears_in_seconds } = await ipc.workflows.copy({ id: workflow.id, format });
      showClipboardCountdown(
        format === 'env' ? 'Replacement copied as a variable' : 'Replacement copied',
        clears_in_seconds,
      );
      return workflow;
    });

  return (
    <Stack>
      <Text size="sm">
        Give the replacement {workflow.new_key?.partial_key} to every application that used{' '}
        {workflow.old_key.partial_key}. Copies clear themselves from the clipboard after 30 seconds.
      </Text>
      <TextInput
        label="Variable name"
        description="Remembered for this connection"
        value={variable}
        onChange={(e) => setVariable(e.currentTarget.value)}
        onBlur={() => void saveVariable()}
        error={varError}
        w={320}
        data-testid="update-variable"
      />
      <Group>
        <Button variant="default" onClick={() => void copy('plain')} data-testid="update-copy">
          Copy the key
        </Button>
        <Button variant="default" onClick={() => void copy('env')} data-testid="update-copy-env">
          Copy as {envVar}=…
        </Button>
      </Group>
      <Group align="flex-end">
        <TextInput
          label="Or write it into a .env file"
          description="The variable’s line is replaced or added; every other line is kept"
          placeholder="/home/me/billing/.env"
          value={path}
          onChange={(e) => {
            setPath(e.currentTarget.value);
            setConfirmName(false);
          }}
          style={{ flex: 1 }}
          data-testid="update-env-path"
        />
        <Button
          onClick={() => void write()}
          loading={busy}
          disabled={path.trim() === '' || (nameNeedsConfirm && !confirmName)}
          data-testid="update-env-write"
        >
          Write
        </Button>
      </Group>
      {nameNeedsConfirm && (
        <Checkbox
          label={`${fileName} is not an env file's name (.env, .env.*, *.env): write the key into it anyway`}
          checked={confirmName}
          onChange={(e) => setConfirmName(e.currentTarget.checked)}
          data-testid="update-env-confirm-name"
        />
      )}
      {writeError && (
        <Alert color="red" title="Nothing was written" data-testid="update-env-error">
          {writeError}
        </Alert>
      )}
      {written && (
        <Alert color={GIT_VERDICT[written.git].color} data-testid="update-env-result" data-git={written.git}>
          {written.line === 'replaced' ? 'Replaced' : 'Added'} {envVar} in {written.path}.{' '}
          {GIT_VERDICT[written.git].text}
        </Alert>
      )}
    </Stack>
  );
}

const minutesSince = (iso: string) => Math.floor((currentTime() - Date.parse(iso)) / 60_000);

/** "the old key has not been used for 12 minutes", in words. */
export function oldKeyQuiet(lastUsedAt: string | null): string {
  if (lastUsedAt === null) return 'The old key has never been used.';
  const minutes = minutesSince(lastUsedAt);
  if (minutes < 1) return 'The old key was used less than a minute ago: something still uses it.';
  const span =
    minutes < 120
      ? `${minutes} minute${minutes === 1 ? '' : 's'}`
      : relativeTime(lastUsedAt, currentTime()).replace(' ago', '');
  return `The old key has not been used for ${span}.`;
}

export function TestStep({ workflow }: { workflow: Workflow }) {
  // Live: main is asked every five seconds while the step is open.
  useEffect(() => {
    let stopped = false;
    const check = () =>
      void ipc.workflows
        .probe({ id: workflow.id })
        .then((fresh) => !stopped && useWorkflowStore.getState().upsert(fresh))
        .catch(() => {});
    check();
    const timer = setInterval(check, 5000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [workflow.id]);
  return (
    <Stack data-testid="test-step">
      <Text size="sm" data-testid="test-new">
        {workflow.new_first_used_at
          ? `The replacement ${workflow.new_key?.partial_key} was first seen in use ${relativeTime(workflow.new_first_used_at, currentTime())}.`
          : `The replacement ${workflow.new_key?.partial_key} has not been used yet: deploy it, then call the API once.`}
      </Text>
      <Text size="sm" data-testid="test-old">
        {oldKeyQuiet(workflow.old_last_used_at)}
      </Text>
      <Text size="xs" c="dimmed">
        Checked every 5 seconds while this step is open.
      </Text>
    </Stack>
  );
}

export function RevokeStep({ workflow, urgent }: { workflow: Workflow; urgent: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const { old_key: old } = workflow;
  const revoke = async () => {
    setBusy(true);
    const done = await runStep('Could not revoke the key', () => ipc.workflows.revokeOld({ id: workflow.id }));
    setBusy(false);
    if (done) await refreshKey(old);
  };
  return (
    <Stack>
      <Text size="sm">
        {urgent
          ? `Revoke ${old.partial_key} (“${old.label}”) now: every request with it is refused with 401 from this moment. It can be reactivated later if this was a false alarm.`
          : `Every request with ${old.partial_key} (“${old.label}”) is refused with 401 from now on. Revoke it once the test shows nothing uses it.`}
      </Text>
      <Group justify="flex-end">
        {confirming ? (
          <>
            <Button variant="default" onClick={() => setConfirming(false)}>
              Not yet
            </Button>
            <Button color="red" loading={busy} onClick={() => void revoke()} data-testid="revoke-old-confirm">
              Yes, revoke {old.partial_key}
            </Button>
          </>
        ) : (
          <Button color={urgent ? 'red' : 'orange'} onClick={() => setConfirming(true)} data-testid="revoke-old">
            Revoke {old.partial_key}…
          </Button>
        )}
      </Group>
    </Stack>
  );
}

export function ScheduleStep({ workflow }: { workflow: Workflow }) {
  const days = usePolicyStore((state) => state.policy.revokedRetentionDays);
  const day = new Date(currentTime() + days * DAY_MS).toISOString().slice(0, 10);
  return (
    <Stack>
      <Text size="sm">
        Keep the revoked key {days} days, then the platform deletes it by itself on {day}. Until then the key shows
        “delete on {day}” in the table, and its details can cancel the deletion.
      </Text>
      <Group justify="flex-end">
        <Button
          onClick={async () => {
            await runStep('Could not schedule the deletion', () => ipc.workflows.schedule({ id: workflow.id }));
            await refreshKey(workflow.old_key);
          }}
          data-testid="schedule-deletion"
        >
          Schedule deletion on {day}
        </Button>
      </Group>
    </Stack>
  );
}
