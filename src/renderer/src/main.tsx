import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { getDefaultZIndex, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { colorSchemeManager, DEFAULT_COLOR_SCHEME, setColorSchemeBeforeRender } from './lib/color-scheme';
import { Shell } from './shell/Shell';
import { startStores } from './stores/start';
import { cssVariablesResolver, theme } from './theme';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

startStores();
setColorSchemeBeforeRender();

createRoot(root).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme={DEFAULT_COLOR_SCHEME}
    >
      {/* Above dialogs (200), below menus and popovers (300): a menu the admin just opened is never
          under a toast (a row's actions near the bottom right were, and took no click). */}
      <Notifications position="bottom-right" zIndex={getDefaultZIndex('modal') + 50} />
      <Shell />
    </MantineProvider>
  </StrictMode>,
);
