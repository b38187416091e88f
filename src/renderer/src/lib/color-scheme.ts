// The color scheme on <html> before React's first render. MantineProvider sets the same attribute
// in a layout effect, after the first commit has already been styled and laid out (a layout effect
// of the table reads its size), so the whole page was styled and laid out twice before its first
// paint. Set here, from the manager and the default MantineProvider is given, Mantine's own write
// changes nothing.
import { localStorageColorSchemeManager, type MantineColorScheme } from '@mantine/core';

export const colorSchemeManager = localStorageColorSchemeManager();
export const DEFAULT_COLOR_SCHEME: MantineColorScheme = 'auto';

export function setColorSchemeBeforeRender(): void {
  const chosen = colorSchemeManager.get(DEFAULT_COLOR_SCHEME);
  const dark = chosen === 'auto' ? matchMedia('(prefers-color-scheme: dark)').matches : chosen === 'dark';
  document.documentElement.setAttribute('data-mantine-color-scheme', dark ? 'dark' : 'light');
}
