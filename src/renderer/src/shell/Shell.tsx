import { AppShell, Badge, Button, Group, Kbd, NavLink, Text, Title } from '@mantine/core';
import { spotlight } from '@mantine/spotlight';
import { useEffect } from 'react';
import type { Page } from '../../../shared/app-info';
import type { EventPayload } from '../../../shared/ipc/contract';
import { ConnectionSwitcher } from '../features/connections/ConnectionSwitcher';
import { switchConnection } from '../features/connections/connection-commands';
import { showClipboardSettled } from '../features/keys/clipboard-countdown';
import {
  AccountDialogs,
  CreateKeyWizard,
  DeleteKeyModal,
  EditKeyModal,
  ExtendKeyModal,
  KeyDetailsDrawer,
  RevokeKeyModal,
} from '../features/keys/dialog-parts';
import { KeysPage } from '../features/keys/KeysPage';
import { onEvent } from '../ipc';
import { markFirstScreenDrawn } from '../lib/first-screen';
import { MAIN_ID } from '../lib/landmarks';
import { lazyPart, preloadParts } from '../lib/lazy-part';
import { useAppStore } from '../stores/app-store';
import { useAuditStore } from '../stores/audit-store';
import { useConnectionStore } from '../stores/connection-store';
import { selectComplete, useInventoryStore } from '../stores/inventory-store';
import { useUiStore } from '../stores/ui-store';
import { CommandPalette } from './CommandPalette';
import { NAVIGATION } from './navigation';
import { SkipLink } from './SkipLink';
import { useGlobalShortcuts } from './shortcuts';
import { ThemeToggle } from './ThemeToggle';

// Only the Keys page is on the first screen; the rest load when first shown (lib/lazy-part.tsx).
const PAGES: Record<Page, React.ComponentType> = {
  keys: KeysPage,
  audit: lazyPart(() => import('../features/audit/AuditPage').then((module) => module.AuditPage)),
  rotations: lazyPart(() => import('../features/workflows/WorkflowsPage').then((module) => module.WorkflowsPage)),
  scan: lazyPart(() => import('../features/scan/ScanPage').then((module) => module.ScanPage)),
  settings: lazyPart(() => import('../features/settings/SettingsPage').then((module) => module.SettingsPage)),
};
const AddConnectionModal = lazyPart(
  () => import('../features/connections/AddConnectionModal').then((module) => module.AddConnectionModal),
  (ui) => ui.addConnectionOpen,
);
const WorkflowDialog = lazyPart(
  () => import('../features/workflows/WorkflowDialog').then((module) => module.WorkflowDialog),
  (ui) => ui.workflowId !== null,
);
const ShortcutsPanel = lazyPart(
  () => import('./ShortcutsPanel').then((module) => module.ShortcutsPanel),
  (ui) => ui.shortcutsOpen,
);

/** The other parts' code, once every key is in, while the admin does nothing: a first visit need not wait. */
function usePreloadedParts(): void {
  const complete = useInventoryStore(selectComplete);
  useEffect(() => (complete ? preloadParts() : undefined), [complete]);
}

/** A menu item or an expiry notice: the page, and for a notice the connection and key to open. */
async function openTarget({ page, connection_id, key }: EventPayload<'app:navigate'>): Promise<void> {
  if (connection_id && connection_id !== useConnectionStore.getState().activeId) await switchConnection(connection_id);
  useAppStore.getState().setPage(page);
  if (key) useUiStore.getState().open({ detailsKeyId: key.key_id });
}

/** "Keyhold — 3 keys expire soon": the active inventory's expiring keys, in the window title. */
function useExpiringCountInTitle(): void {
  const expiring = useAuditStore((state) => state.expiringCount);
  useEffect(() => {
    document.title =
      expiring > 0 ? `Keyhold — ${expiring} ${expiring === 1 ? 'key expires' : 'keys expire'} soon` : 'Keyhold';
  }, [expiring]);
}

export function Shell() {
  const { page, setPage, info } = useAppStore();

  useEffect(markFirstScreenDrawn, []);
  // The stores were started before the first render (stores/start.ts); the shell handles main's events.
  useEffect(() => {
    const stopNavigate = onEvent('app:navigate', (target) => void openTarget(target));
    const stopClipboard = onEvent('clipboard:settled', showClipboardSettled);
    return () => {
      stopNavigate();
      stopClipboard();
    };
  }, []);

  useExpiringCountInTitle();
  useGlobalShortcuts();
  usePreloadedParts();
  const critical = useAuditStore((state) => state.summary.critical);
  const Current = PAGES[page];
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 190, breakpoint: 0 }} padding="lg">
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Title order={3} fw={700}>
              Keyhold
            </Title>
            <ConnectionSwitcher />
          </Group>
          <Group gap="sm">
            <Button variant="default" size="xs" onClick={() => spotlight.open()} data-testid="open-palette">
              Jump to… <Kbd ml={6}>{navigator.userAgent.includes('Mac') ? '⌘ K' : 'Ctrl K'}</Kbd>
            </Button>
            {info && (
              <Text size="xs" c="dimmed" data-testid="app-version">
                v{info.version}
              </Text>
            )}
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {NAVIGATION.map((item) => (
          <NavLink
            key={item.page}
            // A button: an <a> without href is not reachable with Tab.
            component="button"
            aria-current={page === item.page ? 'page' : undefined}
            label={item.label}
            description={item.description}
            rightSection={
              item.page === 'audit' && critical > 0 ? (
                <Badge color="red" size="sm" circle={critical < 10} data-testid="audit-critical-count">
                  {critical}
                </Badge>
              ) : undefined
            }
            active={page === item.page}
            onClick={() => setPage(item.page)}
            data-testid={`nav-${item.page}`}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID}>
        <Current />
        {/* Each dialog mounted once, here: any page (the audit, the leak scan, the palette) opens
            a key's details or its revocation without switching to the Keys page first. */}
        <CreateKeyWizard />
        <KeyDetailsDrawer />
        <EditKeyModal />
        <DeleteKeyModal />
        <RevokeKeyModal />
        <ExtendKeyModal />
        <AccountDialogs />
        <AddConnectionModal />
        <WorkflowDialog />
        <ShortcutsPanel />
        <CommandPalette />
      </AppShell.Main>
    </AppShell>
  );
}
