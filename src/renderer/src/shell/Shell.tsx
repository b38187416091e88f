import { AppShell, Badge, Group, NavLink, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import type { Page } from '../../../shared/app-info';
import { onEvent } from '../api';
import { AuditPage } from '../features/audit/AuditPage';
import { KeysPage } from '../features/keys/KeysPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { useAppStore } from '../stores/app-store';
import { ThemeToggle } from './ThemeToggle';

const NAVIGATION: Array<{ page: Page; label: string; description: string }> = [
  { page: 'keys', label: 'Keys', description: 'Inventory of every key' },
  { page: 'audit', label: 'Audit', description: 'Findings and fixes' },
  { page: 'settings', label: 'Settings', description: 'Connection and policy' },
];

const PAGES: Record<Page, () => React.JSX.Element> = {
  keys: KeysPage,
  audit: AuditPage,
  settings: SettingsPage,
};

export function Shell() {
  const { page, setPage, info, loadInfo } = useAppStore();

  useEffect(() => {
    void loadInfo();
    return onEvent('app:navigate', ({ page }) => setPage(page));
  }, [loadInfo, setPage]);

  const Current = PAGES[page];
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Title order={3} fw={700}>
              Keyhold
            </Title>
            <Badge variant="light" color="gray" data-testid="connection-badge">
              Embedded
            </Badge>
          </Group>
          <Group gap="sm">
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
            label={item.label}
            description={item.description}
            active={page === item.page}
            onClick={() => setPage(item.page)}
            data-testid={`nav-${item.page}`}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Current />
      </AppShell.Main>
    </AppShell>
  );
}
