import { Combobox, type CSSVariablesResolver, createTheme, Drawer, Menu, Modal, Notification } from '@mantine/core';
import { Spotlight } from '@mantine/spotlight';
import { MAIN_ID } from './lib/landmarks';

// Contrast is set here, for the whole app, not per element (WCAG AA: 4.5:1 for text; the e2e
// suite scans every screen with axe-core). Per colour: text on white and on its pale "light"
// background in the light theme, and a filled background under white text (with its hover) in
// both. Mantine's own shades fall short for orange, yellow and green, hence a few darker tones.
const TONES = {
  teal: { text: '#05573f', filled: '#087f5b', hover: '#066649' },
  red: { text: '#c92a2a', filled: '#c92a2a', hover: '#a61e1e' },
  orange: { text: '#b33d0c', filled: '#b33d0c', hover: '#8f300a' },
  yellow: { text: '#8a5a00', filled: '#8a5a00', hover: '#6e4800' },
  green: { text: '#1e6b30', filled: '#1e6b30', hover: '#17541f' },
  blue: { text: '#1864ab', filled: '#1864ab', hover: '#134f88' },
  gray: { text: '#495057', filled: '#495057', hover: '#343a40' },
  violet: { text: '#5f3dc4', filled: '#5f3dc4', hover: '#4c2fa3' },
  cyan: { text: '#0b7285', filled: '#0b7285', hover: '#095c6b' },
  grape: { text: '#862e9c', filled: '#862e9c', hover: '#6b257d' },
} as const;

export const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
  components: {
    // Every close button says what it does to a screen reader.
    // A dialog's header is not the page's banner: as a <header> outside any section it would be a
    // second banner landmark (axe: landmark-no-duplicate-banner).
    Modal: Modal.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' }, attributes: { header: { role: 'presentation' } } },
    }),
    Drawer: Drawer.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' }, attributes: { header: { role: 'presentation' } } },
    }),
    // A select's list exists only while open: kept mounted (Mantine's default), each one is
    // positioned on the first screen, a forced style and layout per select before the first paint.
    Combobox: Combobox.extend({ defaultProps: { keepMounted: false } }),
    // A menu holds menu items alone: Mantine's focus placeholder (a focusable div) breaks that
    // (axe: aria-required-children). The menu itself takes the focus; the arrows reach its items.
    // An open menu's list lives in the main landmark (axe's "region": content outside every
    // landmark), not at the end of body where Mantine's portal puts it.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false, portalProps: { target: `#${MAIN_ID}` } } }),
    // Mantine draws a toast's words in gray 6 (3.3:1 on white): the theme's dimmed reads at 4.5:1 or more.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
    // The palette's highlighted action: its description at full strength (Mantine dims it to 70%
    // white on the primary colour, under 4.5:1).
    Spotlight: Spotlight.extend({ styles: { action: { '--action-description-opacity': '1' } as object } }),
  },
});

const filled = Object.fromEntries(
  Object.entries(TONES).flatMap(([color, tone]) => [
    [`--mantine-color-${color}-filled`, tone.filled],
    [`--mantine-color-${color}-filled-hover`, tone.hover],
  ]),
);

const lightText = Object.fromEntries(
  Object.entries(TONES).flatMap(([color, tone]) => [
    [`--mantine-color-${color}-light-color`, tone.text],
    [`--mantine-color-${color}-text`, tone.text],
    [`--mantine-color-${color}-outline`, tone.text],
    // The palest shade behind "light" badges and buttons, so their text keeps 4.5:1.
    [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
  ]),
);

// In the dark theme Mantine's light variants (shade 4 on a dark tint) already read well.
const darkText = Object.fromEntries(
  Object.keys(TONES).flatMap((color) => [
    [`--mantine-color-${color}-light-color`, `var(--mantine-color-${color}-3)`],
    [`--mantine-color-${color}-text`, `var(--mantine-color-${color}-3)`],
  ]),
);

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  // Field errors (text and the field's own text) in the red that reads on each background.
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': TONES.red.text,
    ...filled,
    ...lightText,
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-3)',
    ...filled,
    ...darkText,
  },
});
