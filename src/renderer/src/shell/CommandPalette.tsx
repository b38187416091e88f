// Ctrl+K (⌘K on macOS): jump to any key, account, page or action by typing (Mantine's spotlight).
// Keys are found with the table's own search (a partial key from its start, or words in any
// order); at 100,000 keys only the first matches are listed, so a keystroke stays cheap.
import '@mantine/spotlight/styles.css';
import { useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { Spotlight } from '@mantine/spotlight';
import { type ReactNode, useMemo, useState } from 'react';
import { type IndexedKey, searchMask } from '../../../shared/key-index';
import { foldForSearch, hasEvery, searchWords } from '../../../shared/key-search';
import { startNewSubaccount } from '../features/accounts/account-commands';
import { useAppStore } from '../stores/app-store';
import { selectShown, useInventoryStore } from '../stores/inventory-store';
import { useUiStore } from '../stores/ui-store';
import { useViewStore } from '../stores/view-store';
import { NAVIGATION } from './navigation';
import { focusKeySearch, startCreateKey } from './shortcuts';

const MAX_KEYS = 8;
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
const MAX_ACCOUNTS = 6;

interface Command {
  id: string;
  label: string;
  description?: string;
  run(): void;
}

// Accounts and commands match as the key search's words do: all of them, in any order.
const hasWords = (text: string, words: string[]) => hasEvery(foldForSearch(text), words);

function useCommands(): Command[] {
  const remote = useInventoryStore((state) => state.connection?.kind === 'remote');
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const setPage = useAppStore((state) => state.setPage);
  return useMemo(() => {
    const pages = NAVIGATION.map(({ page, label, description }) => ({
      id: `page-${page}`,
      label: `Go to ${label}`,
      description,
      run: () => setPage(page),
    }));
    const actions: Command[] = [
      { id: 'create-key', label: 'Create key', description: 'Shortcut: N', run: startCreateKey },
      { id: 'search-keys', label: 'Search keys', description: 'Shortcut: /', run: focusKeySearch },
      {
        id: 'new-subaccount',
        label: 'New subaccount',
        description: 'Under the account shown on the Keys page (or the root)',
        run: startNewSubaccount,
      },
      {
        id: 'add-connection',
        label: 'Add a connection',
        description: 'A self-hosted platform, by its URL and an API key',
        run: () => useUiStore.getState().open({ addConnectionOpen: true }),
      },
      {
        id: 'shortcuts',
        label: 'Keyboard shortcuts',
        description: 'Shortcut: ?',
        run: () => useUiStore.getState().open({ shortcutsOpen: true }),
      },
      {
        id: 'theme',
        label: `Switch to the ${scheme === 'dark' ? 'light' : 'dark'} theme`,
        run: () => setColorScheme(scheme === 'dark' ? 'light' : 'dark'),
      },
    ];
    if (remote) {
      actions.push({
        id: 'sync',
        label: 'Sync now',
        description: 'Fetch the inventory from the platform',
        run: () => void useInventoryStore.getState().sync(),
      });
    }
    return [...pages, ...actions];
  }, [remote, scheme, setColorScheme, setPage]);
}

function Group({ label, children }: { label: string; children: ReactNode[] }) {
  return children.length > 0 ? <Spotlight.ActionsGroup label={label}>{children}</Spotlight.ActionsGroup> : null;
}

export function CommandPalette() {
  const [query, setQuery] = useState('');
  const entries = useInventoryStore(selectShown);
  const accounts = useInventoryStore((state) => state.accounts);
  const commands = useCommands();
  const words = searchWords(query);

  const keys = useMemo(() => {
    if (query.trim() === '') return [];
    // The table's search: one scan of every key's search text.
    const matches = searchMask(entries, query);
    const found = [];
    for (let i = 0; i < entries.length && found.length < MAX_KEYS; i++)
      if (matches === null || matches[i] === 1) found.push((entries[i] as IndexedKey).key);
    return found;
  }, [query, entries]);
  const accountMatches =
    words.length === 0 ? [] : accounts.filter((account) => hasWords(account.name, words)).slice(0, MAX_ACCOUNTS);
  const commandMatches = commands.filter((command) => hasWords(command.label, words));

  // Over the page the admin is on: the details drawer is the shell's.
  const openKey = (keyId: string) => useUiStore.getState().open({ detailsKeyId: keyId });
  const showAccount = (accountId: string) => {
    useAppStore.getState().setPage('keys');
    useViewStore.getState().setFilters({ account_id: accountId });
  };
  const nothing = keys.length + accountMatches.length + commandMatches.length === 0;

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      // Also from the search box or any other field: the palette is where one goes to jump.
      tagsToIgnore={[]}
      scrollable
      maxHeight={460}
      // The dialog's name for screen readers, from a title that is not shown.
      title="Command palette"
      styles={{ header: VISUALLY_HIDDEN }}
    >
      <Spotlight.Search
        placeholder="Jump to a key, an account, a page or an action…"
        aria-label="Command palette"
        data-testid="palette-search"
      />
      <Spotlight.ActionsList>
        <Group label="Keys">
          {keys.map((key) => (
            <Spotlight.Action
              key={key.id}
              label={key.label}
              description={`${key.partial_key}… · ${key.status}`}
              onClick={() => openKey(key.id)}
              data-testid="palette-key"
            />
          ))}
        </Group>
        <Group label="Accounts">
          {accountMatches.map((account) => (
            <Spotlight.Action
              key={account.id}
              label={account.name}
              description="Show its keys"
              onClick={() => showAccount(account.id)}
              data-testid="palette-account"
            />
          ))}
        </Group>
        <Group label="Pages and actions">
          {commandMatches.map((command) => (
            <Spotlight.Action
              key={command.id}
              label={command.label}
              description={command.description}
              onClick={command.run}
              data-testid={`palette-${command.id}`}
            />
          ))}
        </Group>
        {nothing && <Spotlight.Empty>Nothing matches “{query}”.</Spotlight.Empty>}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
}
