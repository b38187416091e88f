// The audit policy: every number the audit uses, editable, saved in the app, with a reset to the
// platform's best-practice defaults. The key table's flags and the Audit page follow it at once.
import { Alert, Badge, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { type AuditPolicy, DEFAULT_AUDIT_POLICY } from '../../../../shared/audit';
import { auditPolicySchema } from '../../../../shared/audit/schemas';
import { describeIssues } from '../../../../shared/validation';
import { errorMessage } from '../../ipc';
import { usePolicyStore } from '../../stores/policy-store';

type Field = {
  path: string;
  label: string;
  hint: string;
  get(p: AuditPolicy): number;
  set(p: AuditPolicy, v: number): AuditPolicy;
};

const field = (key: Exclude<keyof AuditPolicy, 'rotationDays'>, label: string, hint: string): Field => ({
  path: key,
  label,
  hint,
  get: (p) => p[key],
  set: (p, v) => ({ ...p, [key]: v }),
});
const rotation = (environment: keyof AuditPolicy['rotationDays']): Field => ({
  path: `rotationDays.${environment}`,
  label: `Rotate ${environment} keys after (days)`,
  hint: `Default ${DEFAULT_AUDIT_POLICY.rotationDays[environment]}`,
  get: (p) => p.rotationDays[environment],
  set: (p, v) => ({ ...p, rotationDays: { ...p.rotationDays, [environment]: v } }),
});

const D = DEFAULT_AUDIT_POLICY;
const FIELDS: Field[] = [
  field(
    'neverUsedGraceDays',
    'Never used: flag after (days)',
    `Default ${D.neverUsedGraceDays}: delete keys nobody used`,
  ),
  field('unusedDays', 'Unused: flag after (days)', `Default ${D.unusedDays}: revoke keys gone quiet`),
  field('expiringDays', 'Expiry notice (days before)', `Default ${D.expiringDays}; also drives notifications`),
  field('revokedRetentionDays', 'Delete revoked keys after (days)', `Default ${D.revokedRetentionDays}`),
  field('maxKeysPerAccount', 'Most keys per account', `Default ${D.maxKeysPerAccount}`),
  field('extendDays', 'Bulk extend adds (days)', `Default ${D.extendDays}`),
  field('recentUseDays', 'Activity window (days)', `Default ${D.recentUseDays}: new sources, refused attempts`),
  field('maxSources', 'Most sources per key in the window', `Default ${D.maxSources}`),
  field('refusedAttempts', 'Refused attempts to flag a dead key', `Default ${D.refusedAttempts}`),
  rotation('production'),
  rotation('staging'),
  rotation('development'),
];

export function PolicyPanel() {
  const policy = usePolicyStore((state) => state.policy);
  const isDefault = usePolicyStore((state) => state.isDefault);
  const { set: setPolicy, reset: resetPolicy } = usePolicyStore.getState();
  const [draft, setDraft] = useState(policy);
  const [error, setError] = useState<string | null>(null);
  /** What is wrong with each field, by its path, after a refused save. */
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  useEffect(() => setDraft(policy), [policy]);
  const changed = JSON.stringify(draft) !== JSON.stringify(policy);

  const save = async () => {
    const parsed = auditPolicySchema.safeParse(draft);
    if (!parsed.success) {
      // Each field says what is wrong with it, and the summary names fields as they are labelled.
      const byPath = Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
      setFieldErrors(byPath);
      const named = FIELDS.filter((f) => byPath[f.path]).map((f) => `${f.label}: ${byPath[f.path]}`);
      return setError(named.length > 0 ? named.join('; ') : describeIssues(parsed.error));
    }
    setFieldErrors({});
    setError(null);
    try {
      await setPolicy(parsed.data);
      notifications.show({
        color: 'teal',
        title: 'Policy saved',
        message: 'The audit and the key flags follow it now.',
      });
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  const reset = async () => {
    try {
      await resetPolicy();
      notifications.show({ color: 'teal', title: 'Policy reset', message: 'Back to the best-practice defaults.' });
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <Paper withBorder p="md" data-testid="policy-panel">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text fw={600}>Audit policy</Text>
          <Badge variant="light" color={isDefault ? 'gray' : 'blue'} data-testid="policy-state">
            {isDefault ? 'defaults' : 'customized'}
          </Badge>
        </Group>
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            onClick={() => void reset()}
            disabled={isDefault}
            data-testid="policy-reset"
          >
            Reset to defaults
          </Button>
          <Button size="xs" onClick={() => void save()} disabled={!changed} data-testid="policy-save">
            Save policy
          </Button>
        </Group>
      </Group>
      <Stack gap="sm">
        <SimpleGrid cols={3} spacing="sm">
          {FIELDS.map((f) => (
            <NumberInput
              key={f.path}
              label={f.label}
              description={f.hint}
              min={1}
              clampBehavior="none"
              allowDecimal={false}
              value={f.get(draft)}
              error={fieldErrors[f.path]}
              onChange={(value) => {
                setDraft(f.set(draft, typeof value === 'number' ? value : Number.NaN));
                setFieldErrors(({ [f.path]: _fixed, ...others }) => others);
              }}
              data-testid={`policy-${f.path}`}
            />
          ))}
        </SimpleGrid>
        {error && (
          <Alert color="red" data-testid="policy-error">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
