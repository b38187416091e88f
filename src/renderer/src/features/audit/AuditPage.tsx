// The Audit page: findings of the active inventory (embedded, a remote one's cache, or an imported
// file) grouped by severity and rule, filterable; bulk revoke, delete and extend after a dry run;
// export and import.
import {
  Alert,
  Button,
  FileButton,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { RULES, type RuleId, type Severity } from '../../../../shared/audit';
import type { BulkAction } from '../../../../shared/bulk-plan';
import type { ApiKey } from '../../../../shared/domain';
import { RULE_TITLES } from '../../../../shared/report/rule-titles';
import { errorMessage } from '../../ipc';
import { formatCount } from '../../lib/format';
import { useAuditStore } from '../../stores/audit-store';
import { selectComplete, selectWhyReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { useKeyUseStore } from '../../stores/key-use-store';
import { usePolicyStore } from '../../stores/policy-store';
import { useUiStore } from '../../stores/ui-store';
import { BulkActionModal } from '../bulk/BulkActionModal';
import { BulkBar } from '../bulk/BulkBar';
import { groupFindings } from './audit-view';
import { download, EXPORT_FORMATS, type ExportFormat, importInventoryFile } from './exports';
import { FindingGroups } from './FindingGroups';
import { SEVERITY_COLOR, SEVERITY_LABEL } from './severity';

export function AuditPage() {
  const result = useAuditStore((state) => state.result);
  const entries = useInventoryStore((state) => state.entries);
  const accounts = useInventoryStore((state) => state.accounts);
  const connection = useInventoryStore((state) => state.connection);
  const complete = useInventoryStore(selectComplete);
  const policyIsDefault = usePolicyStore((state) => state.isDefault);
  const whyReadOnly = useInventoryStore(selectWhyReadOnly);
  const offline = useInventoryStore((state) => state.offline);
  const readOnlyReason = useInventoryStore((state) => state.readOnlyReason);
  const use = useKeyUseStore();
  // The request log moves with traffic the window does not see: read it again on each visit.
  useEffect(() => {
    if (selectComplete(useInventoryStore.getState())) void useKeyUseStore.getState().load();
  }, []);
  const [severity, setSeverity] = useState<Severity | null>(null);
  const [rule, setRule] = useState<RuleId | null>(null);
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<BulkAction | null>(null);

  const keys = useMemo(() => entries.map((entry) => entry.key), [entries]);
  const accountNames = useMemo(() => new Map(accounts.map((a) => [a.id, a.name])), [accounts]);
  const summary = useAuditStore((state) => state.summary);
  const groups = useMemo(
    () => (result ? groupFindings(result, { severity, rule, search: deferredSearch }) : []),
    [result, severity, rule, deferredSearch],
  );
  // Only keys still in the inventory stay selected (a bulk delete removes some).
  const selectedKeys = useMemo(() => keys.filter((key) => selected.has(key.id)), [keys, selected]);

  const select = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) on ? next.add(id) : next.delete(id);
    setSelected(next);
  };
  // The drawer is the shell's: it opens over the audit, which stays where the admin was.
  const openKey = (key: ApiKey) => useUiStore.getState().open({ detailsKeyId: key.id });
  const exportAs = (format: ExportFormat) => {
    const name = download(format);
    if (name === null) {
      notifications.show({
        color: 'yellow',
        title: 'Nothing to export',
        message: 'No active key has an expiration ahead: a calendar of expiry dates would be empty.',
      });
      return;
    }
    notifications.show({ color: 'teal', title: 'Exported', message: `${name} is ready; no secret is in it.` });
  };
  const importFile = (file: File | null) => {
    if (!file) return;
    const reading = notifications.show({
      loading: true,
      title: `Reading ${file.name}…`,
      message: 'Starting',
      autoClose: false,
      withCloseButton: false,
    });
    const progress = (done: number, total: number) =>
      notifications.update({
        id: reading,
        loading: true,
        title: `Reading ${file.name}…`,
        message: `${formatCount(done)} of ${formatCount(total)} rows`,
        autoClose: false,
      });
    importInventoryFile(file, progress)
      .then(
        (name) =>
          notifications.show({ color: 'teal', title: 'Inventory imported', message: `“${name}” is open, read-only.` }),
        (error: unknown) =>
          notifications.show({
            color: 'red',
            title: 'Could not import the file',
            message: errorMessage(error),
            autoClose: 10_000,
          }),
      )
      .finally(() => notifications.hide(reading));
  };

  return (
    <Stack gap="md" data-testid="audit-page">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Audit
        </Title>
        <Group gap="xs">
          <FileButton onChange={importFile} accept=".json,.csv,application/json,text/csv">
            {(props) => (
              <Button variant="default" {...props} data-testid="import-file">
                Open inventory file…
              </Button>
            )}
          </FileButton>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button disabled={!complete} data-testid="export">
                Export
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((format) => (
                <Menu.Item key={format} onClick={() => exportAs(format)} data-testid={`export-${format}`}>
                  {EXPORT_FORMATS[format].label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" data-testid="audit-source">
        {connection?.name ?? '…'}
        {connection?.kind === 'imported'
          ? ` (imported: ${connection.source})`
          : offline
            ? ' (offline: the cached copy)'
            : ''}{' '}
        · {formatCount(keys.length)} keys in {accounts.length} accounts ·{' '}
        {policyIsDefault ? 'default policy' : 'your policy (Settings)'}
        {complete ? '' : ' · loading the rest…'}
      </Text>
      <Text size="sm" c="dimmed" data-testid="audit-activity">
        {use.connectionId === connection?.id && use.since !== null
          ? `Activity rules (sources, refused attempts): the request log since ${use.since.slice(0, 10)}, ${formatCount(use.use.length)} key${use.use.length === 1 ? '' : 's'} with logged use.`
          : use.missingReason
            ? `Activity rules have nothing to read: ${use.missingReason}.`
            : 'Activity rules: reading the request log…'}
      </Text>
      {readOnlyReason && (
        <Alert color="violet" data-testid="audit-read-only">
          {readOnlyReason} Bulk actions are off; export works.
        </Alert>
      )}
      <Group gap="sm" grow>
        {(['critical', 'warning', 'info'] as const).map((level) => (
          <Paper
            key={level}
            withBorder
            p="sm"
            onClick={() => setSeverity(severity === level ? null : level)}
            style={{
              cursor: 'pointer',
              borderColor: severity === level ? `var(--mantine-color-${SEVERITY_COLOR[level]}-6)` : undefined,
            }}
            data-testid={`summary-${level}`}
          >
            <Text size="xl" fw={700} c={SEVERITY_COLOR[level]}>
              {formatCount(summary[level])}
            </Text>
            <Text size="sm" c="dimmed">
              {SEVERITY_LABEL[level]}
            </Text>
          </Paper>
        ))}
      </Group>
      <Group gap="sm">
        <SegmentedControl
          data-testid="filter-severity"
          value={severity ?? 'all'}
          onChange={(value) => setSeverity(value === 'all' ? null : (value as Severity))}
          data={[
            { value: 'all', label: 'All' },
            { value: 'critical', label: 'Critical' },
            { value: 'warning', label: 'Warning' },
            { value: 'info', label: 'Info' },
          ]}
        />
        <Select
          aria-label="Rule"
          placeholder="Any rule"
          data-testid="filter-rule"
          w={260}
          clearable
          data={RULES.map((id) => ({ value: id, label: RULE_TITLES[id] }))}
          value={rule}
          onChange={(value) => setRule((value as RuleId | null) ?? null)}
        />
        <TextInput
          placeholder="Search findings"
          aria-label="Search findings"
          data-testid="audit-search"
          w={220}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
      </Group>
      <BulkBar
        count={selectedKeys.length}
        readOnly={whyReadOnly}
        onAction={setAction}
        onClear={() => setSelected(new Set())}
      />
      {result && result.length === 0 && (
        <Paper withBorder p="xl">
          <Text c="dimmed" data-testid="audit-empty">
            {keys.length === 0
              ? 'Nothing to audit yet: the inventory is empty.'
              : 'No findings: every key follows the policy.'}
          </Text>
        </Paper>
      )}
      {result && result.length > 0 && groups.length === 0 && (
        <Text c="dimmed" data-testid="audit-no-match">
          No finding matches these filters.
        </Text>
      )}
      {result && (
        <FindingGroups
          groups={groups}
          result={result}
          keys={keys}
          accountNames={accountNames}
          selected={selected}
          onSelect={select}
          onOpenKey={openKey}
        />
      )}
      <BulkActionModal
        action={action}
        keys={selectedKeys}
        onClose={(finished) => {
          setAction(null);
          if (finished) setSelected(new Set());
        }}
      />
    </Stack>
  );
}
