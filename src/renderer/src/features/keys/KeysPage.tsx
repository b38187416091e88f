import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { formatCount } from '../../lib/format';
import { SyncedAgo } from '../../lib/SyncedAgo';
import { isComplete, isShowing, isWaiting, totalOf } from '../../stores/inventory-load';
import { useInventoryStore } from '../../stores/inventory-store';
import { useViewStore } from '../../stores/view-store';
import { AccountTree } from './AccountTree';
import { ACCOUNT_PANEL_ID, AccountPanelToggle, useAccountPanel } from './account-panel';
import { KeysBulk } from './KeysBulk';
import { KeysTable } from './KeysTable';
import { KeysToolbar } from './KeysToolbar';

export function KeysPage() {
  const [accountPanelOpen, setAccountPanelOpen] = useAccountPanel();
  // Only what this frame shows: a search must not re-render the whole page.
  const {
    stage,
    error,
    total,
    connection,
    offline,
    offlineReason,
    readOnlyReason,
    syncedAt,
    syncing,
    syncedCount,
    syncTotal,
    sync,
    load,
  } = useInventoryStore(
    useShallow((state) => ({
      stage: state.stage,
      error: state.error,
      // While the window has the first rows only, main's count.
      total: totalOf(state.stage, state.entries),
      connection: state.connection,
      offline: state.offline,
      offlineReason: state.offlineReason,
      readOnlyReason: state.readOnlyReason,
      syncedAt: state.syncedAt,
      syncing: state.syncing,
      syncedCount: state.syncedCount,
      syncTotal: state.syncTotal,
      sync: state.sync,
      load: state.load,
    })),
  );

  return (
    <Stack gap="sm" h="calc(100vh - 88px)">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Keys
        </Title>
        <Group gap="xs">
          {/* No count before there are keys to count: "0 of 0" would read as an empty inventory. */}
          {!((isWaiting(stage) || syncing) && total === 0) && <KeysCount total={total} complete={isComplete(stage)} />}
          {connection?.kind === 'remote' && (
            <>
              {!syncing && (
                <Text size="sm" c="dimmed">
                  <SyncedAgo at={syncedAt} />
                </Text>
              )}
              <Button size="xs" variant="default" onClick={() => void sync()} loading={syncing} data-testid="sync">
                Sync
              </Button>
            </>
          )}
        </Group>
      </Group>
      {offline && (
        <Alert color="orange" title="Offline: showing the cached inventory" data-testid="offline-banner">
          {offlineReason} Last <SyncedAgo at={syncedAt} />. Creating, editing, revoking and deleting need the platform:
          their buttons are off, and say why, until it can be reached.
        </Alert>
      )}
      {readOnlyReason && (
        <Alert color="violet" title="Imported inventory: read-only" data-testid="read-only-banner">
          {readOnlyReason} Switch back to a platform in the connection menu to change keys.
        </Alert>
      )}
      {syncing && (
        <Text size="sm" c="dimmed" data-testid="sync-progress">
          Syncing from {connection?.base_url}…{' '}
          {syncTotal === null
            ? 'asking what changed'
            : `${formatCount(syncedCount ?? 0)} of ${formatCount(syncTotal)} read`}
        </Text>
      )}
      {isShowing(stage) && error && (
        <Alert color="red" data-testid="inventory-error">
          {error}
        </Alert>
      )}
      {stage.kind === 'failed' && (
        <Alert color="red" title="The inventory could not be loaded">
          {stage.message}{' '}
          <Button size="xs" variant="light" onClick={() => void load()}>
            Try again
          </Button>
        </Alert>
      )}
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <AccountPanelToggle open={accountPanelOpen} onToggle={setAccountPanelOpen} />
        <KeysToolbar />
      </Group>
      <KeysBulk />
      <Group align="stretch" gap="md" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        {accountPanelOpen && (
          <Paper withBorder p="sm" w={220} style={{ flexShrink: 0 }} id={ACCOUNT_PANEL_ID}>
            <AccountTree />
          </Paper>
        )}
        <Stack style={{ flex: 1, minWidth: 0, minHeight: 0 }} gap={0}>
          {isWaiting(stage) && total === 0 ? (
            <Group justify="center" p="xl" data-testid="keys-loading">
              <Loader size="sm" />
              {stage.kind === 'holding' && (
                <Text size="sm" c="dimmed" aria-live="polite">
                  Your saved filter or sort needs every key: loading them…
                </Text>
              )}
            </Group>
          ) : total === 0 && isShowing(stage) ? (
            <Paper withBorder p="xl">
              <Text c="dimmed" ta="center" data-testid="keys-empty">
                No keys yet. Create one: its secret goes straight into the OS keychain.
              </Text>
            </Paper>
          ) : (
            <KeysTable />
          )}
        </Stack>
      </Group>
    </Stack>
  );
}

/** "N of M keys", apart from the page: a search re-renders the count, not the page and its dialogs. */
function KeysCount({ total, complete }: { total: number; complete: boolean }) {
  const shown = useViewStore((state) => state.counted ?? state.rows.length);
  return (
    <Text size="sm" c="dimmed" data-testid="keys-count">
      {formatCount(shown)} of {formatCount(total)} keys
      {complete ? '' : ' (loading…)'}
    </Text>
  );
}
